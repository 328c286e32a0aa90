#include "log_binding.h"

#include <errno.h>
#include <string.h>


#include "binding_util.h"
#include "errors.h"
#include "log_engine.h"

namespace pwatch {

namespace {

// Fields per hit in the Float64Array handed to JavaScript: slot, generation, tid, pc, time (ns). A pc
// and a CLOCK_MONOTONIC time both fit a double exactly (user addresses < 2^47, times < 2^53 ns).
constexpr size_t kFieldsPerHit = 5;

Napi::Object batchObject(Napi::Env env, const LogBatch* batch) {
  Napi::Float64Array hits = Napi::Float64Array::New(env, batch->hits.size() * kFieldsPerHit);
  double* out = hits.Data();
  for (const LoggedHit& hit : batch->hits) {
    *out++ = hit.slot;
    *out++ = hit.generation;
    *out++ = hit.tid;
    *out++ = static_cast<double>(hit.ip);
    *out++ = static_cast<double>(hit.time);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("hits", hits);
  result.Set("lost", static_cast<double>(batch->lost));
  result.Set("throttled", static_cast<double>(batch->throttled));
  return result;
}

void wake(Napi::Env env, Napi::Function callback) {
  if (env == nullptr || callback.IsEmpty()) return;  // the environment is going away
  callback.Call({});
}

class LogBinding : public Napi::ObjectWrap<LogBinding> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LogEngine",
                       {InstanceMethod("open", &LogBinding::Open), InstanceMethod("addThreads", &LogBinding::AddThreads),
                        InstanceMethod("arm", &LogBinding::Arm), InstanceMethod("disarm", &LogBinding::Disarm),
                        InstanceMethod("take", &LogBinding::Take),
                        InstanceMethod("close", &LogBinding::Close),
                        InstanceAccessor("slots", &LogBinding::Slots, nullptr)});
  }

  explicit LogBinding(const Napi::CallbackInfo& info) : Napi::ObjectWrap<LogBinding>(info), engine_(SlotCount(info)) {}

  ~LogBinding() override { shutdown(); }

 private:
  static int SlotCount(const Napi::CallbackInfo& info) { return slotCountArgument(info, 1, 1); }

  Napi::Value Slots(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), engine_.slots()); }

  // open(onReady: () => void, maxRingPages?) -> {cpus, ringPages} | error. onReady says take() has data.
  Napi::Value Open(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsFunction()) return errorObject(env, EINVAL, "open(onReady: function)");
    if (opened_) return errorObject(env, EBUSY, "the log engine is already open");
    // One wake-up at a time is ever queued (the engine waits for take() before sending another).
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "pwatch-log-drain", 0, 1);
    // The drain thread must not keep the adapter alive on its own.
    tsfn_.Unref(env);
    Napi::ThreadSafeFunction tsfn = tsfn_;
    size_t maxPages = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 64;
    int err = engine_.open([tsfn]() mutable { tsfn.NonBlockingCall(wake); }, maxPages);
    if (err != 0) {
      tsfn_.Release();
      return errorObject(env, err, "cannot map the ring buffers for data logpoints: " + errnoCode(err) +
                                       " (perf_event_mlock_kb or RLIMIT_MEMLOCK too small?)");
    }
    opened_ = true;
    Napi::Object result = Napi::Object::New(env);
    result.Set("cpus", engine_.cpus());
    result.Set("ringPages", static_cast<double>(engine_.ringPages()));
    return result;
  }

  Napi::Value AddThreads(const Napi::CallbackInfo& info) { return addThreadsCall(info, engine_); }

  // arm(slot, address: bigint, length, access) -> {generation, failures}
  Napi::Value Arm(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    ArmArguments args;
    Napi::Value error;
    if (!readArmArguments(info, args, error)) return error;
    uint32_t generation = 0;
    std::vector<ParentFailure> failures = engine_.arm(args.slot, args.address, args.length, args.access, generation);
    Napi::Object result = Napi::Object::New(env);
    result.Set("generation", generation);
    result.Set("failures", failuresArray(env, failures));
    return result;
  }

  Napi::Value Disarm(const Napi::CallbackInfo& info) { return disarmCall(info, engine_); }

  // take() -> {hits: Float64Array, lost, throttled}: everything logged since the last take.
  Napi::Value Take(const Napi::CallbackInfo& info) {
    LogBatch batch;
    engine_.take(batch);
    return batchObject(info.Env(), &batch);
  }

  // close() -> the last batch ({hits, lost, throttled}), read after every slot was disabled.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    LogBatch last;
    shutdown(&last);
    return batchObject(info.Env(), &last);
  }

  void shutdown(LogBatch* last = nullptr) {
    engine_.close(last);
    if (opened_) {
      tsfn_.Release();
      opened_ = false;
    }
  }

  LogEngine engine_;
  Napi::ThreadSafeFunction tsfn_;
  bool opened_ = false;
};

}  // namespace

Napi::Function defineLogEngineClass(Napi::Env env) { return LogBinding::Define(env); }

}  // namespace pwatch
