#include "watch_engine.h"

#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <string.h>

#include "sys.h"

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

std::vector<ThreadOpen> WatchEngine::addThreads(const std::vector<pid_t>& tids) {
  std::vector<ThreadOpen> results;
  results.reserve(tids.size());
  for (pid_t tid : tids) {
    Parent parent{tid, {}};
    int err = 0;
    for (int slot = 0; slot < slots_ && err == 0; slot++) {
      perf_event_attr attr = slotAttributes();
      sys::FdResult opened = sys::perfEventOpen(attr, tid, -1, -1);
      if (!opened.fd.valid()) {
        err = opened.err;
      } else {
        parent.fds.push_back(std::move(opened.fd));
      }
    }
    results.push_back({tid, err});
    if (err == 0) {
      parents_.push_back(std::move(parent));
    }
    // On failure `parent` goes out of scope here and closes what it opened.
  }
  return results;
}

std::vector<ParentFailure> WatchEngine::arm(int slot, uint64_t address, int length, Access access, uint64_t sigData) {
  perf_event_attr attr = slotAttributes();
  attr.bp_addr = address;
  attr.bp_len = static_cast<uint64_t>(length);
  attr.bp_type = access == Access::Write ? HW_BREAKPOINT_W : HW_BREAKPOINT_RW;
  attr.sig_data = sigData;
  // Re-point the slot while it is disabled (no cross-CPU call per child), then enable it in one walk:
  // measured a little faster and steadier than one enabling MODIFY (bench/RESULTS.md, "arming cost").
  std::vector<ParentFailure> failures = modify(slot, attr);
  if (!failures.empty()) return failures;
  for (Parent& parent : parents_) {
    int err = sys::perfEnable(parent.fds[static_cast<size_t>(slot)].get());
    if (err != 0) failures.push_back({parent.tid, err});
  }
  return failures;
}

std::vector<ParentFailure> WatchEngine::disarm(int slot) {
  perf_event_attr attr = slotAttributes();
  return modify(slot, attr);
}

std::vector<ParentFailure> WatchEngine::modify(int slot, const perf_event_attr& attr) {
  std::vector<ParentFailure> failures;
  if (slot < 0 || slot >= slots_) {
    failures.push_back({0, EINVAL});
    return failures;
  }
  for (Parent& parent : parents_) {
    perf_event_attr copy = attr;
    int err = sys::perfModifyAttributes(parent.fds[static_cast<size_t>(slot)].get(), copy);
    if (err != 0) failures.push_back({parent.tid, err});
  }
  return failures;
}

void WatchEngine::close() {
  for (int slot = 0; slot < slots_; slot++) disarm(slot);
  parents_.clear();
}

std::vector<pid_t> WatchEngine::parents() const {
  std::vector<pid_t> tids;
  tids.reserve(parents_.size());
  for (const Parent& parent : parents_) tids.push_back(parent.tid);
  return tids;
}

}  // namespace pwatch
