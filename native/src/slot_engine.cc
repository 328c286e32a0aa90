#include "slot_engine.h"

#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <string.h>
#include <time.h>

namespace pwatch {

namespace {

// How long the drain thread sleeps when the buffers stay under their wake-up mark, so that a slow trickle
// of accesses still shows up promptly.
constexpr int kIdleDrainMs = 20;

// Accesses queued for JavaScript at most. When it falls this far behind, further accesses are counted as
// lost: memory stays bounded whatever the program's access rate.
constexpr size_t kMaxQueuedHits = 4 * 1024 * 1024;

// Largest ring (data pages per CPU, 256 KiB): tried first, halved while the kernel's locked-memory budget
// (perf_event_mlock_kb, then RLIMIT_MEMLOCK) refuses it.
constexpr size_t kMaxRingPages = 64;

void commonClock(perf_event_attr& attr) {
  // CLOCK_MONOTONIC so hit times compare with the adapter's own (process.hrtime); every event writing
  // into one buffer must use the same clock.
  attr.use_clockid = 1;
  attr.clockid = CLOCK_MONOTONIC;
}

perf_event_attr ringOwnerAttributes(size_t ringBytes) {
  perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof(attr);
  attr.config = PERF_COUNT_SW_DUMMY;
  attr.disabled = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  attr.watermark = 1;
  attr.wakeup_watermark = static_cast<uint32_t>(ringBytes / 4);
  commonClock(attr);
  return attr;
}

// PERF_FORMAT_LOST (Linux 6.0), spelled out so older kernel headers build too.
constexpr uint64_t kFormatLost = 1u << 4;

// perf's x86-64 register numbers: AX..IP are 0..8, R8..R15 are 16..23 (flags and segments are left out).
constexpr uint64_t kSampledRegisterMask = 0x1ffull | (0xffull << 16);

}  // namespace

perf_event_attr SlotEngine::attributes() const {
  perf_event_attr attr = slotAttributes();
  attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
  if (kind_ == SlotKind::Log) {
    attr.sigtrap = 0;
  } else {
    // The registers right after the access: what the instruction stored is in them (or in its immediate).
    attr.sample_type |= PERF_SAMPLE_REGS_USER;
    attr.sample_regs_user = kSampledRegisterMask;
  }
  if (lostFormat_) attr.read_format = kFormatLost;
  commonClock(attr);
  return attr;
}

int SlotEngine::open(Notify notify, size_t maxPages) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (!rings_.empty()) return EBUSY;
  int err = 0;
  wake_ = sys::makeWakeFd(err);
  if (err != 0) return err;
  size_t first = 1;
  while (first * 2 <= maxPages && first * 2 <= kMaxRingPages) first *= 2;
  for (size_t pages = first; pages >= 1; pages /= 2) {
    rings_.clear();
    err = 0;
    for (int cpu = 0; cpu < cpus_ && err == 0; cpu++) {
      perf_event_attr attr = ringOwnerAttributes(pages * sys::pageSize());
      sys::FdResult owner = sys::perfEventOpen(attr, 0, cpu, -1);
      if (!owner.fd.valid()) {
        err = owner.err;
        break;
      }
      sys::RingMapping mapping = sys::mapRing(owner.fd.get(), pages, err);
      if (err == 0) rings_.push_back({std::move(owner.fd), std::move(mapping)});
    }
    if (err == 0) {
      ringPages_ = pages;
      break;
    }
    if (err != EPERM && err != ENOMEM) break;  // only the locked-memory budget is worth a smaller try
  }
  if (err != 0) {
    rings_.clear();
    return err;
  }
  generations_.assign(static_cast<size_t>(slots_), 0);
  // Whether this kernel counts each event's dropped samples (PERF_FORMAT_LOST): an older one refuses the flag.
  perf_event_attr probe = ringOwnerAttributes(sys::pageSize());
  probe.read_format = kFormatLost;
  lostFormat_ = sys::perfEventOpen(probe, 0, -1, -1).fd.valid();
  notify_ = std::move(notify);
  drainer_ = std::thread([this] { drainLoop(); });
  return 0;
}

std::vector<ThreadOpen> SlotEngine::addThreads(const std::vector<pid_t>& tids) {
  std::lock_guard<std::mutex> guard(mutex_);
  std::vector<ThreadOpen> results;
  results.reserve(tids.size());
  for (pid_t tid : tids) {
    Parent parent{tid, {}};
    std::vector<std::pair<uint64_t, int>> ids;
    int err = rings_.empty() ? EBADF : 0;
    for (int slot = 0; slot < slots_ && err == 0; slot++) {
      for (int cpu = 0; cpu < cpus_ && err == 0; cpu++) {
        perf_event_attr attr = attributes();
        sys::FdResult opened = sys::perfEventOpen(attr, tid, cpu, -1);
        if (!opened.fd.valid()) {
          err = opened.err;
          break;
        }
        uint64_t id = 0;
        err = sys::perfSetOutput(opened.fd.get(), rings_[static_cast<size_t>(cpu)].owner.get());
        if (err == 0) err = sys::perfEventId(opened.fd.get(), id);
        if (err == 0) {
          ids.push_back({id, slot});
          parent.fds.push_back(std::move(opened.fd));
        }
      }
    }
    results.push_back({tid, err});
    if (err == 0) {
      for (const auto& entry : ids) slotOfId_[entry.first] = entry.second;
      parents_.push_back(std::move(parent));
    }
  }
  return results;
}

std::vector<ParentFailure> SlotEngine::arm(int slot, uint64_t address, int length, Access access, uint64_t sigData,
                                           uint32_t& generation) {
  std::lock_guard<std::mutex> guard(mutex_);
  std::vector<ParentFailure> failures;
  if (slot < 0 || slot >= slots_) {
    failures.push_back({0, EINVAL});
    return failures;
  }
  // Disable, then deliver what the old arming logged: after the MODIFY returns no CPU can still be
  // writing a sample of it, so everything drained from here on belongs to the new generation.
  failures = modifyLocked(slot, attributes());
  drainLocked();
  generation = ++generations_[static_cast<size_t>(slot)];
  if (!failures.empty()) return failures;
  perf_event_attr attr = attributes();
  attr.sig_data = kind_ == SlotKind::Stop ? sigData : 0;
  attr.bp_addr = address;
  attr.bp_len = static_cast<uint64_t>(length);
  attr.bp_type = access == Access::Write ? HW_BREAKPOINT_W : HW_BREAKPOINT_RW;
  attr.disabled = 0;
  return modifyLocked(slot, attr);
}

std::vector<ParentFailure> SlotEngine::disarm(int slot) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (slot < 0 || slot >= slots_) return {{0, EINVAL}};
  std::vector<ParentFailure> failures = modifyLocked(slot, attributes());
  drainLocked();
  return failures;
}

std::vector<pid_t> SlotEngine::parents() {
  std::lock_guard<std::mutex> guard(mutex_);
  std::vector<pid_t> tids;
  tids.reserve(parents_.size());
  for (const Parent& parent : parents_) tids.push_back(parent.tid);
  return tids;
}

std::vector<ParentFailure> SlotEngine::modifyLocked(int slot, const perf_event_attr& attr) {
  std::vector<ParentFailure> failures;
  for (Parent& parent : parents_) {
    for (int cpu = 0; cpu < cpus_; cpu++) {
      perf_event_attr copy = attr;
      int err = sys::perfModifyAttributes(parent.fds[static_cast<size_t>(slot * cpus_ + cpu)].get(), copy);
      if (err != 0) {
        failures.push_back({parent.tid, err});
        break;
      }
    }
  }
  return failures;
}

void SlotEngine::drainLocked(bool wakeUp) {
  RingCounts counts;
  scratch_.clear();
  scratchRegs_.clear();
  for (const Ring& ring : rings_) readRing(ring.mapping, regCount(), scratch_, scratchRegs_, counts);
  queued_.lost += counts.lost;
  recordedLost_ += counts.lost;
  queued_.throttled += counts.throttled;
  for (const DecodedSample& sample : scratch_) {
    auto found = slotOfId_.find(sample.id);
    if (found == slotOfId_.end()) continue;
    if (queued_.hits.size() >= kMaxQueuedHits) {
      queued_.lost++;
      continue;
    }
    uint32_t slot = static_cast<uint32_t>(found->second);
    queued_.hits.push_back({slot, generations_[slot], sample.tid, sample.ip, sample.time});
    const uint64_t* regs = scratchRegs_.data() + sample.regs;
    queued_.regs.insert(queued_.regs.end(), regs, regs + regCount());
  }
  bool waiting = !queued_.hits.empty() || queued_.lost != 0 || queued_.throttled != 0;
  if (wakeUp && waiting && !notified_ && notify_) {
    notified_ = true;
    notify_();
  }
}

void SlotEngine::takeLocked(LogBatch& out) {
  out.hits.insert(out.hits.end(), queued_.hits.begin(), queued_.hits.end());
  out.regs.insert(out.regs.end(), queued_.regs.begin(), queued_.regs.end());
  out.lost += queued_.lost;
  out.throttled += queued_.throttled;
  queued_ = LogBatch();
  notified_ = false;
}

void SlotEngine::take(LogBatch& out) {
  std::lock_guard<std::mutex> guard(mutex_);
  drainLocked(false);  // the caller takes it all now: no wake-up for it
  takeLocked(out);
}

void SlotEngine::drainLoop() {
  std::vector<int> fds;
  for (const Ring& ring : rings_) fds.push_back(ring.owner.get());
  fds.push_back(wake_.get());
  std::vector<bool> ready;
  while (!stopping_.load()) {
    sys::pollReadable(fds, ready, kIdleDrainMs);
    if (stopping_.load()) break;
    std::lock_guard<std::mutex> guard(mutex_);
    drainLocked();
  }
}

uint64_t SlotEngine::unrecordedLostLocked() {
  if (!lostFormat_) return 0;
  uint64_t dropped = 0;
  for (const Parent& parent : parents_) {
    for (const UniqueFd& fd : parent.fds) {
      uint64_t lost = 0;
      if (sys::perfReadLost(fd.get(), lost) == 0) dropped += lost;
    }
  }
  return dropped > recordedLost_ ? dropped - recordedLost_ : 0;
}

void SlotEngine::close(LogBatch* last) {
  if (drainer_.joinable()) {
    stopping_.store(true);
    sys::signalWakeFd(wake_.get());
    drainer_.join();
  }
  std::lock_guard<std::mutex> guard(mutex_);
  // Disable first, then take the last samples, so nothing logged before the close is lost.
  for (int slot = 0; slot < slots_; slot++) modifyLocked(slot, attributes());
  notify_ = nullptr;
  drainLocked();
  queued_.lost += unrecordedLostLocked();
  if (last != nullptr) takeLocked(*last);
  parents_.clear();
  slotOfId_.clear();
  rings_.clear();
  wake_.reset();
}

}  // namespace pwatch
