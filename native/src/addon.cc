// N-API surface of the addon. Built without C++ exceptions: every failure comes back to JavaScript as
// a plain {code, errno, message} object, never as a throw across the boundary.
#include <napi.h>

#include "errors.h"
#include "probe.h"
#include "pty.h"
#include "sys.h"
#include "watch_engine.h"

#include <errno.h>

#include <cstdlib>

namespace {

Napi::Object errorObject(Napi::Env env, int err, const std::string& message) {
  Napi::Object error = Napi::Object::New(env);
  error.Set("code", pwatch::errnoCode(err));
  error.Set("errno", err);
  error.Set("message", message);
  return error;
}

Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pwatch::ProbeResult probe = pwatch::probeCapability();
  Napi::Object result = Napi::Object::New(env);
  result.Set("kernelRelease", probe.kernelRelease);
  result.Set("perfEventParanoid", probe.paranoidKnown ? Napi::Value(Napi::Number::New(env, probe.perfEventParanoid))
                                                     : env.Null());
  result.Set("supported", probe.supported);
  if (!probe.supported) {
    Napi::Object error = errorObject(env, probe.err, probe.reason);
    error.Set("step", probe.failedStep);
    result.Set("error", error);
  }
  return result;
}

Napi::Value OpenPty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pwatch::PtyHandles pty = pwatch::openProgramTerminal();
  Napi::Object result = Napi::Object::New(env);
  if (pty.err != 0) {
    result.Set("error", errorObject(env, pty.err, pty.message));
    return result;
  }
  result.Set("masterFd", pty.masterFd);
  result.Set("holderPid", pty.holderPid);
  result.Set("holderReleaseFd", pty.holderReleaseFd);
  result.Set("path", pty.path);
  return result;
}

// Reaps a child the addon made (the terminal holder) once it was told to exit.
Napi::Value ReapChild(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    return errorObject(env, EINVAL, "reapChild needs a pid");
  }
  pwatch::sys::reap(info[0].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

int perfEventParanoid() {
  int err = 0;
  std::string text = pwatch::sys::readFirstLine("/proc/sys/kernel/perf_event_paranoid", err);
  return err == 0 && !text.empty() ? std::atoi(text.c_str()) : 2;
}

Napi::Object failureObject(Napi::Env env, pid_t tid, int err, int paranoid) {
  Napi::Object failure = errorObject(env, err, pwatch::perfOpenReason(err, paranoid));
  failure.Set("tid", tid);
  return failure;
}

Napi::Value failuresArray(Napi::Env env, const std::vector<pwatch::ParentFailure>& failures) {
  int paranoid = failures.empty() ? 0 : perfEventParanoid();
  Napi::Array array = Napi::Array::New(env, failures.size());
  for (size_t i = 0; i < failures.size(); i++) {
    array.Set(static_cast<uint32_t>(i), failureObject(env, failures[i].tid, failures[i].err, paranoid));
  }
  return array;
}

// JavaScript face of WatchEngine. Arguments are checked here; a bad one returns an error object.
class Engine : public Napi::ObjectWrap<Engine> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "WatchEngine",
                       {InstanceMethod("addThreads", &Engine::AddThreads), InstanceMethod("arm", &Engine::Arm),
                        InstanceMethod("disarm", &Engine::Disarm), InstanceMethod("parents", &Engine::Parents),
                        InstanceMethod("close", &Engine::Close), InstanceAccessor("slots", &Engine::Slots, nullptr)});
  }

  explicit Engine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Engine>(info), engine_(SlotCount(info)) {}

 private:
  static int SlotCount(const Napi::CallbackInfo& info) {
    int slots = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 4;
    return slots < 1 ? 1 : (slots > 4 ? 4 : slots);
  }

  Napi::Value Slots(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), engine_.slots()); }

  // addThreads(tids: number[]) -> [{tid, error?}]
  Napi::Value AddThreads(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsArray()) return errorObject(env, EINVAL, "addThreads needs an array of thread ids");
    Napi::Array input = info[0].As<Napi::Array>();
    std::vector<pid_t> tids;
    for (uint32_t i = 0; i < input.Length(); i++) {
      Napi::Value v = input.Get(i);
      if (!v.IsNumber()) return errorObject(env, EINVAL, "thread ids must be numbers");
      tids.push_back(v.As<Napi::Number>().Int32Value());
    }
    std::vector<pwatch::ThreadOpen> opened = engine_.addThreads(tids);
    int paranoid = perfEventParanoid();
    Napi::Array out = Napi::Array::New(env, opened.size());
    for (size_t i = 0; i < opened.size(); i++) {
      Napi::Object entry = Napi::Object::New(env);
      entry.Set("tid", opened[i].tid);
      if (opened[i].err != 0) entry.Set("error", failureObject(env, opened[i].tid, opened[i].err, paranoid));
      out.Set(static_cast<uint32_t>(i), entry);
    }
    return out;
  }

  // arm(slot, address: bigint, length, access: 'write'|'readWrite', sigData: bigint) -> failures[]
  Napi::Value Arm(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 5 || !info[0].IsNumber() || !info[1].IsBigInt() || !info[2].IsNumber() || !info[3].IsString() ||
        !info[4].IsBigInt()) {
      return errorObject(env, EINVAL, "arm(slot, address: bigint, length, access, sigData: bigint)");
    }
    bool lossless = true;
    uint64_t address = info[1].As<Napi::BigInt>().Uint64Value(&lossless);
    uint64_t sigData = info[4].As<Napi::BigInt>().Uint64Value(&lossless);
    int length = info[2].As<Napi::Number>().Int32Value();
    std::string access = info[3].As<Napi::String>().Utf8Value();
    if (length != 1 && length != 2 && length != 4 && length != 8) {
      return errorObject(env, EINVAL, "a hardware watchpoint covers 1, 2, 4 or 8 bytes");
    }
    if (address % static_cast<uint64_t>(length) != 0) {
      return errorObject(env, EINVAL, "a hardware watchpoint address must be aligned to its length");
    }
    pwatch::Access kind = access == "readWrite" ? pwatch::Access::ReadWrite : pwatch::Access::Write;
    return failuresArray(env, engine_.arm(info[0].As<Napi::Number>().Int32Value(), address, length, kind, sigData));
  }

  Napi::Value Disarm(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsNumber()) return errorObject(env, EINVAL, "disarm(slot)");
    return failuresArray(env, engine_.disarm(info[0].As<Napi::Number>().Int32Value()));
  }

  Napi::Value Parents(const Napi::CallbackInfo& info) {
    std::vector<pid_t> tids = engine_.parents();
    Napi::Array out = Napi::Array::New(info.Env(), tids.size());
    for (size_t i = 0; i < tids.size(); i++) out.Set(static_cast<uint32_t>(i), tids[i]);
    return out;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    engine_.close();
    return info.Env().Undefined();
  }

  pwatch::WatchEngine engine_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("WatchEngine", Engine::Define(env));
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("openPty", Napi::Function::New(env, OpenPty, "openPty"));
  exports.Set("reapChild", Napi::Function::New(env, ReapChild, "reapChild"));
  return exports;
}

}  // namespace

NODE_API_MODULE(pwatch, Init)
