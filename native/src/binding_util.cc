#include "binding_util.h"

#include <errno.h>

#include <cstdlib>

#include "errors.h"
#include "sys.h"

namespace pwatch {

namespace {

int perfEventParanoid() {
  int err = 0;
  std::string text = sys::readFirstLine("/proc/sys/kernel/perf_event_paranoid", err);
  return err == 0 && !text.empty() ? std::atoi(text.c_str()) : 2;
}

Napi::Object failureObject(Napi::Env env, pid_t tid, int err, const std::string& message) {
  Napi::Object failure = errorObject(env, err, message);
  failure.Set("tid", tid);
  return failure;
}

}  // namespace

Napi::Object errorObject(Napi::Env env, int err, const std::string& message) {
  Napi::Object error = Napi::Object::New(env);
  error.Set("code", errnoCode(err));
  error.Set("errno", err);
  error.Set("message", message);
  return error;
}

Napi::Array threadOpenArray(Napi::Env env, const std::vector<ThreadOpen>& opened) {
  int paranoid = perfEventParanoid();
  Napi::Array out = Napi::Array::New(env, opened.size());
  for (size_t i = 0; i < opened.size(); i++) {
    Napi::Object entry = Napi::Object::New(env);
    entry.Set("tid", opened[i].tid);
    if (opened[i].err != 0) {
      entry.Set("error", failureObject(env, opened[i].tid, opened[i].err, perfOpenReason(opened[i].err, paranoid)));
    }
    out.Set(static_cast<uint32_t>(i), entry);
  }
  return out;
}

Napi::Array failuresArray(Napi::Env env, const std::vector<ParentFailure>& failures) {
  // These come from ioctls on events that are already open (MODIFY, ENABLE), not from perf_event_open.
  Napi::Array array = Napi::Array::New(env, failures.size());
  for (size_t i = 0; i < failures.size(); i++) {
    array.Set(static_cast<uint32_t>(i), failureObject(env, failures[i].tid, failures[i].err, perfIoctlReason(failures[i].err)));
  }
  return array;
}

int slotCountArgument(const Napi::CallbackInfo& info, int fallback, int minimum) {
  int slots = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : fallback;
  return slots < minimum ? minimum : (slots > 4 ? 4 : slots);
}

bool readThreadIds(const Napi::Value& value, std::vector<pid_t>& tids, Napi::Value& error) {
  Napi::Env env = value.Env();
  if (!value.IsArray()) {
    error = errorObject(env, EINVAL, "addThreads needs an array of thread ids");
    return false;
  }
  Napi::Array input = value.As<Napi::Array>();
  for (uint32_t i = 0; i < input.Length(); i++) {
    Napi::Value v = input.Get(i);
    double tid = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : 0;
    // 0 would mean "the calling thread" to perf_event_open: the adapter itself, never a traced thread.
    if (!(tid >= 1 && tid <= 0x7fffffff) || tid != static_cast<double>(static_cast<int32_t>(tid))) {
      error = errorObject(env, EINVAL, "thread ids must be positive integers");
      return false;
    }
    tids.push_back(static_cast<pid_t>(tid));
  }
  return true;
}

bool readArmArguments(const Napi::CallbackInfo& info, ArmArguments& args, Napi::Value& error) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsBigInt() || !info[2].IsNumber() || !info[3].IsString()) {
    error = errorObject(env, EINVAL, "arm(slot, address: bigint, length, access, ...)");
    return false;
  }
  bool lossless = true;
  args.slot = info[0].As<Napi::Number>().Int32Value();
  args.address = info[1].As<Napi::BigInt>().Uint64Value(&lossless);
  args.length = info[2].As<Napi::Number>().Int32Value();
  // x86-64 user space ends below 2^47: anything above is a kernel address, negative or truncated.
  if (!lossless || args.address >= (1ull << 47)) {
    error = errorObject(env, EINVAL, "the address is not a user-space address (0 to 0x7fffffffffff)");
    return false;
  }
  args.access = info[3].As<Napi::String>().Utf8Value() == "readWrite" ? Access::ReadWrite : Access::Write;
  if (args.length != 1 && args.length != 2 && args.length != 4 && args.length != 8) {
    error = errorObject(env, EINVAL, "a hardware watchpoint covers 1, 2, 4 or 8 bytes");
    return false;
  }
  if (args.address % static_cast<uint64_t>(args.length) != 0) {
    error = errorObject(env, EINVAL, "a hardware watchpoint address must be aligned to its length");
    return false;
  }
  return true;
}

}  // namespace pwatch
