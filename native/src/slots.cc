#include "slots.h"

#include <linux/hw_breakpoint.h>
#include <string.h>

namespace pwatch {

namespace {

// A disabled slot points here: any user-space address is accepted and nothing is watched while disabled.
constexpr uint64_t kParkingAddress = 0x10000;

}  // namespace

perf_event_attr slotAttributes() {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.size = sizeof(attr);
  attr.bp_type = HW_BREAKPOINT_W;
  attr.bp_addr = kParkingAddress;
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

}  // namespace pwatch
