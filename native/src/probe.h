// The capability probe: can this machine give pwatch inherited, sigtrap hardware breakpoint events that
// can be re-armed with a new sig_data, and do its debug registers actually fire?
#pragma once

#include <string>

namespace pwatch {

struct ProbeResult {
  std::string kernelRelease;
  int perfEventParanoid = 0;
  bool paranoidKnown = false;
  bool supported = false;
  int err = 0;             // errno of the failing step when !supported (0 for "trigger": nothing failed, nothing fired)
  std::string failedStep;  // "fork", "perf_event_open", "modify", "trigger"
  std::string reason;      // human text: what refused and what to do
};

// 1. Opens one disabled, inherited sigtrap breakpoint event on a child process made for it, exactly as a slot.
// 2. Re-arms it with PERF_EVENT_IOC_MODIFY_ATTRIBUTES and a new sig_data, as every arming does (Linux 5.17+).
// 3. Writes a word watched by a plain counting breakpoint event on the calling thread and checks the count:
//    some virtual machines accept breakpoint events but never pass the debug registers to the guest, so no
//    watched access ever fires.
ProbeResult probeCapability();

}  // namespace pwatch
