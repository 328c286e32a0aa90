// The capability probe: can this kernel give pwatch inherited, sigtrap hardware breakpoint events?
#pragma once

#include <string>

namespace pwatch {

struct ProbeResult {
  std::string kernelRelease;
  int perfEventParanoid = 0;
  bool paranoidKnown = false;
  bool supported = false;
  int err = 0;             // errno of the failing step when !supported
  std::string failedStep;  // "fork", "perf_event_open"
  std::string reason;      // human text: what refused and what to do
};

// Opens (and closes) one disabled, inherited sigtrap breakpoint event on a child process made for it.
ProbeResult probeCapability();

}  // namespace pwatch
