#include "probe.h"

#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <string.h>

#include <cstdlib>

#include "errors.h"
#include "sys.h"

namespace pwatch {

namespace {

// The watched word: any mapped address works; the child is a fork of us so it has the same one.
volatile unsigned long g_probeTarget = 0;

perf_event_attr probeAttributes() {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.size = sizeof(attr);
  attr.bp_type = HW_BREAKPOINT_W;
  attr.bp_addr = reinterpret_cast<unsigned long>(&g_probeTarget);
  attr.bp_len = HW_BREAKPOINT_LEN_8;
  attr.sample_period = 1;
  attr.disabled = 1;
  attr.inherit = 1;
  attr.inherit_thread = 1;
  attr.remove_on_exec = 1;
  attr.sigtrap = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  return attr;
}

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
  perf_event_attr attr = probeAttributes();
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
