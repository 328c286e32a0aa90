#include "watch_binding.h"

#include <errno.h>

#include "binding_util.h"
#include "watch_engine.h"

namespace pwatch {

namespace {

// JavaScript face of WatchEngine. Arguments are checked here; a bad one returns an error object.
class WatchBinding : public Napi::ObjectWrap<WatchBinding> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "WatchEngine",
                       {InstanceMethod("addThreads", &WatchBinding::AddThreads), InstanceMethod("arm", &WatchBinding::Arm),
                        InstanceMethod("disarm", &WatchBinding::Disarm), InstanceMethod("parents", &WatchBinding::Parents),
                        InstanceMethod("close", &WatchBinding::Close),
                        InstanceAccessor("slots", &WatchBinding::Slots, nullptr)});
  }

  explicit WatchBinding(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<WatchBinding>(info), engine_(SlotCount(info)) {}

 private:
  static int SlotCount(const Napi::CallbackInfo& info) { return slotCountArgument(info, 4, 1); }

  Napi::Value Slots(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), engine_.slots()); }

  // addThreads(tids: number[]) -> [{tid, error?}]
  Napi::Value AddThreads(const Napi::CallbackInfo& info) { return addThreadsCall(info, engine_); }

  // arm(slot, address: bigint, length, access: 'write'|'readWrite', sigData: bigint) -> failures[]
  Napi::Value Arm(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    ArmArguments args;
    Napi::Value error;
    if (!readArmArguments(info, args, error)) return error;
    if (info.Length() < 5 || !info[4].IsBigInt()) {
      return errorObject(env, EINVAL, "arm(slot, address: bigint, length, access, sigData: bigint)");
    }
    bool lossless = true;
    uint64_t sigData = info[4].As<Napi::BigInt>().Uint64Value(&lossless);
    return failuresArray(env, engine_.arm(args.slot, args.address, args.length, args.access, sigData));
  }

  Napi::Value Disarm(const Napi::CallbackInfo& info) { return disarmCall(info, engine_); }

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

  WatchEngine engine_;
};

}  // namespace

Napi::Function defineWatchEngineClass(Napi::Env env) { return WatchBinding::Define(env); }

}  // namespace pwatch
