// Shapes shared by the N-API classes: errors as plain {code, errno, message} objects (never exceptions),
// thread-open results and argument readers.
#pragma once

#include <errno.h>
#include <napi.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "slots.h"

namespace pwatch {

Napi::Object errorObject(Napi::Env env, int err, const std::string& message);

// [{tid, error?}] for the results of addThreads.
Napi::Array threadOpenArray(Napi::Env env, const std::vector<ThreadOpen>& opened);

// [{tid, code, errno, message}] for the parents an arm or disarm failed on.
Napi::Array failuresArray(Napi::Env env, const std::vector<ParentFailure>& failures);

// Reads an array of thread ids; false (with `error` set) when it is not one.
bool readThreadIds(const Napi::Value& value, std::vector<pid_t>& tids, Napi::Value& error);

// Reads (slot, address: bigint, length, access) at info[0..3]; false with `error` set when invalid.
struct ArmArguments {
  int slot;
  uint64_t address;
  int length;
  Access access;
};
bool readArmArguments(const Napi::CallbackInfo& info, ArmArguments& args, Napi::Value& error);

// The slot count a constructor was given, clamped to [minimum, 4].
int slotCountArgument(const Napi::CallbackInfo& info, int fallback, int minimum);

// addThreads(tids: number[]) -> [{tid, error?}], for either engine.
template <typename Engine>
Napi::Value addThreadsCall(const Napi::CallbackInfo& info, Engine& engine) {
  std::vector<pid_t> tids;
  Napi::Value error;
  if (!readThreadIds(info.Length() > 0 ? info[0] : info.Env().Undefined(), tids, error)) return error;
  return threadOpenArray(info.Env(), engine.addThreads(tids));
}

// disarm(slot) -> failures[], for either engine.
template <typename Engine>
Napi::Value disarmCall(const Napi::CallbackInfo& info, Engine& engine) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return errorObject(env, EINVAL, "disarm(slot)");
  return failuresArray(env, engine.disarm(info[0].As<Napi::Number>().Int32Value()));
}

}  // namespace pwatch
