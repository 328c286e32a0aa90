#include "slot_binding.h"

#include <errno.h>
#include <string.h>


#include "binding_util.h"
#include "errors.h"
#include "slot_engine.h"

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
  if (!batch->regs.empty()) {
    // Registers are whole 64-bit words (values, not addresses): BigUint64Array keeps them exact.
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, batch->regs.size() * sizeof(uint64_t));
    memcpy(buffer.Data(), batch->regs.data(), batch->regs.size() * sizeof(uint64_t));
    napi_value regs = nullptr;
    napi_create_typedarray(env, napi_biguint64_array, batch->regs.size(), buffer, 0, &regs);
    result.Set("regs", Napi::Value(env, regs));
  }
  result.Set("lost", static_cast<double>(batch->lost));
  result.Set("throttled", static_cast<double>(batch->throttled));
  return result;
}

void wake(Napi::Env env, Napi::Function callback) {
  if (env == nullptr || callback.IsEmpty()) return;  // the environment is going away
  callback.Call({});
}

// new SlotEngine(slots, kind: 'stop' | 'log'): data breakpoints stop, data logpoints only log.
class SlotBinding : public Napi::ObjectWrap<SlotBinding> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "SlotEngine",
                       {InstanceMethod("open", &SlotBinding::Open), InstanceMethod("addThreads", &SlotBinding::AddThreads),
                        InstanceMethod("arm", &SlotBinding::Arm), InstanceMethod("disarm", &SlotBinding::Disarm),
                        InstanceMethod("take", &SlotBinding::Take), InstanceMethod("parents", &SlotBinding::Parents),
                        InstanceMethod("close", &SlotBinding::Close),
                        InstanceAccessor("slots", &SlotBinding::Slots, nullptr)});
  }

  explicit SlotBinding(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<SlotBinding>(info), engine_(slotCountArgument(info, 1, 1), KindOf(info)) {}

  ~SlotBinding() override { shutdown(); }

 private:
  static SlotKind KindOf(const Napi::CallbackInfo& info) {
    return info.Length() > 1 && info[1].IsString() && info[1].As<Napi::String>().Utf8Value() == "stop" ? SlotKind::Stop
                                                                                                       : SlotKind::Log;
  }

  Napi::Value Slots(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), engine_.slots()); }

  // open(onReady: () => void, maxRingPages?) -> {cpus, ringPages} | error. onReady says take() has data.
  Napi::Value Open(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsFunction()) return errorObject(env, EINVAL, "open(onReady: function)");
    if (opened_) return errorObject(env, EBUSY, "the log engine is already open");
    // One wake-up at a time is ever queued (the engine waits for take() before sending another).
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "pwatch-slot-drain", 0, 1);
    // The drain thread must not keep the adapter alive on its own.
    tsfn_.Unref(env);
    Napi::ThreadSafeFunction tsfn = tsfn_;
    size_t maxPages = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 64;
    int err = engine_.open([tsfn]() mutable { tsfn.NonBlockingCall(wake); }, maxPages);
    if (err != 0) {
      tsfn_.Release();
      return errorObject(env, err, "cannot map the ring buffers of the watch events: " + errnoCode(err) +
                                       " (perf_event_mlock_kb or RLIMIT_MEMLOCK too small?)");
    }
    opened_ = true;
    Napi::Object result = Napi::Object::New(env);
    result.Set("cpus", engine_.cpus());
    result.Set("ringPages", static_cast<double>(engine_.ringPages()));
    return result;
  }

  Napi::Value AddThreads(const Napi::CallbackInfo& info) { return addThreadsCall(info, engine_); }

  // arm(slot, address: bigint, length, access, sigData?: bigint) -> {generation, failures}
  Napi::Value Arm(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    ArmArguments args;
    Napi::Value error;
    if (!readArmArguments(info, args, error)) return error;
    uint64_t sigData = 0;
    if (info.Length() > 4 && info[4].IsBigInt()) {
      bool lossless = true;
      sigData = info[4].As<Napi::BigInt>().Uint64Value(&lossless);
    }
    uint32_t generation = 0;
    std::vector<ParentFailure> failures = engine_.arm(args.slot, args.address, args.length, args.access, sigData, generation);
    Napi::Object result = Napi::Object::New(env);
    result.Set("generation", generation);
    result.Set("failures", failuresArray(env, failures));
    return result;
  }

  Napi::Value Disarm(const Napi::CallbackInfo& info) { return disarmCall(info, engine_); }

  Napi::Value Parents(const Napi::CallbackInfo& info) {
    std::vector<pid_t> tids = engine_.parents();
    Napi::Array out = Napi::Array::New(info.Env(), tids.size());
    for (size_t i = 0; i < tids.size(); i++) out.Set(static_cast<uint32_t>(i), tids[i]);
    return out;
  }

  // take() -> {hits: Float64Array, regs?: BigUint64Array, lost, throttled}: everything since the last take.
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

  SlotEngine engine_;
  Napi::ThreadSafeFunction tsfn_;
  bool opened_ = false;
};

}  // namespace

Napi::Function defineSlotEngineClass(Napi::Env env) { return SlotBinding::Define(env); }

}  // namespace pwatch
