#include "probe.h"

#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <string.h>

#include <cstdint>
#include <cstdlib>

#include "errors.h"
#include "sys.h"
#include "slots.h"

namespace pwatch {

namespace {

// The watched word: any mapped address works; the child is a fork of us so it has the same one.
volatile unsigned long g_probeTarget = 0;

// The word the trigger check writes while its own counting event watches it.
volatile unsigned long g_triggerTarget = 0;

// Step 3: a counting (no sigtrap, no inherit) write breakpoint on this very thread, one write, one read of
// the count. Returns the errno of a failing call, or 0 with `fired` set.
int checkTrigger(bool& fired) {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.size = sizeof(attr);
  attr.bp_type = HW_BREAKPOINT_W;
  attr.bp_addr = reinterpret_cast<uintptr_t>(&g_triggerTarget);
  attr.bp_len = HW_BREAKPOINT_LEN_8;
  attr.sample_period = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  sys::FdResult event = sys::perfEventOpen(attr, 0, -1, -1);
  if (!event.fd.valid()) return event.err;
  g_triggerTarget = g_triggerTarget + 1;
  uint64_t count = 0;
  int err = sys::perfReadCount(event.fd.get(), count);
  fired = err == 0 && count > 0;
  return err;
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
  // Exactly what the engine opens for a slot, pointed at a word the child has too.
  perf_event_attr attr = slotAttributes();
  attr.bp_addr = reinterpret_cast<unsigned long>(&g_probeTarget);
  sys::FdResult event = sys::perfEventOpen(attr, child.pid, -1, -1);
  const bool opened = event.fd.valid();
  int modifyErr = 0;
  if (opened) {
    // What arming does: a new sig_data through MODIFY (kept disabled, so the child never traps).
    perf_event_attr armed = slotAttributes();
    armed.bp_addr = reinterpret_cast<unsigned long>(&g_probeTarget);
    armed.sig_data = 0x7077617463680001ull;
    modifyErr = sys::perfModifyAttributes(event.fd.get(), armed);
  }
  event.fd.reset();
  child.release.reset();  // let the child leave
  sys::killAndReap(child.pid);

  if (!opened) {
    result.err = event.err;
    result.failedStep = "perf_event_open";
    result.reason = perfOpenReason(event.err, result.perfEventParanoid);
    return result;
  }
  if (modifyErr != 0) {
    result.err = modifyErr;
    result.failedStep = "modify";
    result.reason = modifyErr == EINVAL
                        ? "the kernel cannot re-arm a breakpoint with a new sig_data (PERF_EVENT_IOC_MODIFY_ATTRIBUTES): "
                          "data breakpoints need Linux 5.17 or later (or 5.15.y/5.16.y from February 2022)"
                        : std::string("re-arming a breakpoint event failed: ") + strerror(modifyErr);
    return result;
  }
  bool fired = false;
  int triggerErr = checkTrigger(fired);
  if (triggerErr != 0 || !fired) {
    result.err = triggerErr;
    result.failedStep = "trigger";
    result.reason = triggerErr != 0
                        ? std::string("checking that a watched write fires failed: ") + strerror(triggerErr)
                        : "this machine's debug registers never fire: the kernel accepts hardware breakpoints, but a "
                          "watched write was not counted (a virtual machine that does not give its guests debug "
                          "registers; gdb's own 'watch' and 'hbreak' do not work here either). Data breakpoints and "
                          "data logpoints need a machine whose debug registers work";
    return result;
  }
  result.supported = true;
  return result;
}

}  // namespace pwatch
