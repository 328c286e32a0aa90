// The JavaScript class WatchEngine (see watch_engine.h).
#pragma once

#include <napi.h>

namespace pwatch {
Napi::Function defineWatchEngineClass(Napi::Env env);
}
