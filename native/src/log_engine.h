// Data logpoints: hardware breakpoint events *without* sigtrap, so an access never stops the program. The
// kernel writes one sample (event id, pc, tid, time) per access into a ring buffer per CPU, which a drain
// thread reads and hands over in batches. Like WatchEngine's slots, log slots are opened disabled on
// parent threads with inherit + inherit_thread; unlike them they are opened once per CPU, because the
// kernel refuses to mmap an inherited event opened for every CPU (cpu == -1).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ring_reader.h"
#include "sys.h"
#include "unique_fd.h"
#include "watch_engine.h"

namespace pwatch {

struct LoggedHit {
  uint32_t slot;
  uint32_t generation;  // which arming of the slot the access belongs to
  uint32_t tid;
  uint64_t ip;
  uint64_t time;  // CLOCK_MONOTONIC nanoseconds
};

struct LogBatch {
  std::vector<LoggedHit> hits;
  uint64_t lost = 0;       // dropped by the kernel (buffer full) or by us (the consumer fell behind)
  uint64_t throttled = 0;  // kernel throttling notices
};

class LogEngine {
 public:
  // Called (on the drain thread, or the caller's during arm/disarm) when accesses are waiting for take()
  // and nobody was told yet: a wake-up, not a delivery, so close() can still hand over everything queued.
  using Notify = std::function<void()>;

  explicit LogEngine(int slots) : slots_(slots), cpus_(sys::cpuCount()) {}
  ~LogEngine() { close(); }
  LogEngine(const LogEngine&) = delete;
  LogEngine& operator=(const LogEngine&) = delete;

  int slots() const { return slots_; }
  int cpus() const { return cpus_; }
  size_t ringPages() const { return ringPages_; }

  // Maps one ring buffer per CPU (at most `maxPages` data pages each, a power of two) and starts the drain
  // thread. Returns 0 or the errno.
  int open(Notify notify, size_t maxPages);

  // Moves every queued access into `out` (and the loss counts), and re-arms the notification.
  void take(LogBatch& out);

  // Opens every log slot, disabled, on each thread, once per CPU; all or nothing per thread.
  std::vector<ThreadOpen> addThreads(const std::vector<pid_t>& tids);

  // Points a slot at [address, address+length) and enables it. Samples of the previous arming are
  // delivered first, so a new generation never receives an old access.
  std::vector<ParentFailure> arm(int slot, uint64_t address, int length, Access access, uint32_t& generation);

  std::vector<ParentFailure> disarm(int slot);

  // Stops the drain thread, disables every slot, closes every event and unmaps the buffers. Everything
  // still queued or in the buffers goes into `last` (when given), so the caller has every access before it
  // reports the end.
  void close(LogBatch* last = nullptr);

 private:
  struct Parent {
    pid_t tid;
    std::vector<UniqueFd> fds;  // slot * cpus + cpu
  };
  struct Ring {
    UniqueFd owner;  // a dummy event of ours on this CPU: the buffer outlives any traced thread
    sys::RingMapping mapping;
  };

  std::vector<ParentFailure> modifyLocked(int slot, const perf_event_attr& attr);
  void drainLocked();
  void takeLocked(LogBatch& out);
  void drainLoop();

  int slots_;
  int cpus_;
  size_t ringPages_ = 0;
  std::vector<Ring> rings_;
  std::vector<Parent> parents_;
  std::unordered_map<uint64_t, int> slotOfId_;
  std::vector<uint32_t> generations_;
  LogBatch queued_;      // drained, not yet taken
  bool notified_ = false;  // a wake-up is on its way and take() has not run since
  Notify notify_;
  std::mutex mutex_;  // guards everything above once the drain thread runs
  UniqueFd wake_;
  std::atomic<bool> stopping_{false};
  std::thread drainer_;
  std::vector<DecodedSample> scratch_;
};

// Attributes of a log slot event; MODIFY repeats them except for the fields it may change.
perf_event_attr logSlotAttributes();

}  // namespace pwatch
