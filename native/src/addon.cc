// N-API surface of the addon. Built without C++ exceptions: every failure comes back to JavaScript as
// a plain {code, errno, message} object, never as a throw across the boundary.
#include <napi.h>

#include "binding_util.h"
#include "errors.h"
#include "slot_binding.h"
#include "probe.h"
#include "pty.h"
#include "sys.h"

#include <errno.h>

#include <cstdlib>

namespace {

using pwatch::errorObject;

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
    // Nothing failed with an errno: the registers just never fired.
    if (probe.failedStep == "trigger" && probe.err == 0) error.Set("code", "ENOTRIGGER");
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

// Reaps a child the addon made (the terminal holder) if it has exited: never waits, so the event loop of the
// editor's extension host is never blocked; returns whether the child is gone.
Napi::Value ReapChild(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double pid = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0;
  // waitpid(0) or waitpid(-1) would reap (or wait for) any child of the editor's process, not ours.
  if (!(pid >= 1 && pid <= 0x7fffffff)) {
    return errorObject(env, EINVAL, "reapChild needs the pid of a child the addon made");
  }
  return Napi::Boolean::New(env, pwatch::sys::reapIfExited(static_cast<pid_t>(pid)));
}

// raiseOpenFileLimit(wanted) -> the open-file limit now in force (attach opens an event per thread and slot).
Napi::Value RaiseOpenFileLimit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) return errorObject(env, EINVAL, "raiseOpenFileLimit needs a number");
  double wanted = info[0].As<Napi::Number>().DoubleValue();
  // NaN, infinities and negatives would be undefined behaviour in the conversion: clamp first.
  constexpr double kMost = 1 << 30;
  uint64_t asked = wanted >= 0 ? static_cast<uint64_t>(wanted < kMost ? wanted : kMost) : 0;
  uint64_t limit = pwatch::sys::raiseOpenFileLimit(asked);
  return Napi::Number::New(env, static_cast<double>(limit));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("SlotEngine", pwatch::defineSlotEngineClass(env));
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("openPty", Napi::Function::New(env, OpenPty, "openPty"));
  exports.Set("reapChild", Napi::Function::New(env, ReapChild, "reapChild"));
  exports.Set("raiseOpenFileLimit", Napi::Function::New(env, RaiseOpenFileLimit, "raiseOpenFileLimit"));
  return exports;
}

}  // namespace

NODE_API_MODULE(pwatch, Init)
