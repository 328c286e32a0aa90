// The JavaScript class SlotEngine (see slot_engine.h): batches of sampled accesses reach JavaScript through
// a thread-safe function wake-up and take(), as one Float64Array per batch (and the registers of stop slots).
#pragma once

#include <napi.h>

namespace pwatch {
Napi::Function defineSlotEngineClass(Napi::Env env);
}
