#include "probe.h"

#include <errno.h>
#include <string.h>

#include <cstdlib>

#include "errors.h"
#include "sys.h"
#include "watch_engine.h"

namespace pwatch {

namespace {

// The watched word: any mapped address works; the child is a fork of us so it has the same one.
volatile unsigned long g_probeTarget = 0;

}  // namespace

ProbeResult probeCapability() {
  ProbeResult result;
  result.kernelRelease = sys::kernelRelease();
  int readErr = 0;
  std::string paranoid = sys::readFirstLine("/proc/sys/kernel/perf_event_paranoid", readErr);
  if (readErr == 0 && !paranoid.empty()) {
    result.perfEventParanoid = std::atoi(paranoid.c_str());
    result.paranoidKnown = true;
  }

  sys::IdleChild child = sys::forkIdleChild();
  if (child.pid < 0) {
    result.err = child.err;
    result.failedStep = "fork";
    result.reason = std::string("could not start the probe's child process: ") + strerror(child.err);
    return result;
  }
  // Exactly what the engine opens for a slot, pointed at a word the child has too.
  perf_event_attr attr = slotAttributes();
  attr.bp_addr = reinterpret_cast<unsigned long>(&g_probeTarget);
  sys::FdResult event = sys::perfEventOpen(attr, child.pid, -1, -1);
  child.release.reset();  // let the child leave
  sys::killAndReap(child.pid);

  if (event.fd.valid()) {
    result.supported = true;
    return result;
  }
  result.err = event.err;
  result.failedStep = "perf_event_open";
  result.reason = perfOpenReason(event.err, result.perfEventParanoid);
  return result;
}

}  // namespace pwatch
