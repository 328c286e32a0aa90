// The JavaScript class LogEngine (see log_engine.h): batches of logged accesses reach JavaScript through
// a thread-safe function as one Float64Array per batch.
#pragma once

#include <napi.h>

namespace pwatch {
Napi::Function defineLogEngineClass(Napi::Env env);
}
