// The one slot engine behind data breakpoints and data logpoints. K slots are hardware breakpoint events
// opened disabled on parent threads with inherit + inherit_thread (slots.h), once per CPU, because the
// kernel refuses to mmap an inherited event opened for every CPU (cpu == -1). Every access writes a sample
// (event id, pc, tid, time) into a ring buffer per CPU, which a drain thread reads and hands over in
// batches; take() also drains synchronously, so a caller that just saw the program stop has every access
// made before the stop.
//
// Two kinds share all of that:
//  - Log slots have no sigtrap: an access never stops the program (data logpoints).
//  - Stop slots add sigtrap (the accessing thread gets a SIGTRAP with the arming's sig_data, which a
//    debugger turns into a stop) and sample the thread's general registers at the access. The sample is
//    what makes a stop exact: SIGTRAP is a standard signal, so a trap that fires while a debugger
//    single-steps the thread merges with the step's own trap and is lost as a signal; its sample is not.
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
#include "slots.h"
#include "sys.h"
#include "unique_fd.h"

namespace pwatch {

enum class SlotKind { Log, Stop };

// Registers a stop slot samples, in perf's x86-64 order: ax bx cx dx si di bp sp ip r8..r15.
constexpr size_t kSampledRegisters = 17;

struct LoggedHit {
  uint32_t slot;
  uint32_t generation;  // which arming of the slot the access belongs to
  uint32_t tid;
  uint64_t ip;
  uint64_t time;  // CLOCK_MONOTONIC nanoseconds
};

struct LogBatch {
  std::vector<LoggedHit> hits;
  std::vector<uint64_t> regs;  // kSampledRegisters per hit, stop slots only
  uint64_t lost = 0;       // dropped by the kernel (buffer full) or by us (the consumer fell behind)
  uint64_t throttled = 0;  // kernel throttling notices
};

class SlotEngine {
 public:
  // Called (on the drain thread, or the caller's during arm/disarm) when accesses are waiting for take()
  // and nobody was told yet: a wake-up, not a delivery, so close() can still hand over everything queued.
  using Notify = std::function<void()>;

  SlotEngine(int slots, SlotKind kind) : slots_(slots), kind_(kind), cpus_(sys::cpuCount()) {}
  ~SlotEngine() { close(); }
  SlotEngine(const SlotEngine&) = delete;
  SlotEngine& operator=(const SlotEngine&) = delete;

  int slots() const { return slots_; }
  int cpus() const { return cpus_; }
  size_t ringPages() const { return ringPages_; }

  // Maps one ring buffer per CPU (at most `maxPages` data pages each, a power of two) and starts the drain
  // thread. Returns 0 or the errno.
  int open(Notify notify, size_t maxPages);

  // Drains the buffers, moves every queued access into `out` (and the loss counts), and re-arms the
  // notification.
  void take(LogBatch& out);

  // Opens every slot, disabled, on each thread, once per CPU; all or nothing per thread.
  std::vector<ThreadOpen> addThreads(const std::vector<pid_t>& tids);

  // Points a slot at [address, address+length) and enables it; `sigData` goes into a stop slot's signals.
  // Samples of the previous arming are delivered first, so a new generation never receives an old access.
  std::vector<ParentFailure> arm(int slot, uint64_t address, int length, Access access, uint64_t sigData,
                                 uint32_t& generation);

  std::vector<ParentFailure> disarm(int slot);

  // Parent threads that hold events (the thread itself may have exited; its children stay covered).
  std::vector<pid_t> parents();

  // Stops the drain thread, disables every slot, closes every event and unmaps the buffers. Everything
  // still queued or in the buffers goes into `last` (when given), so the caller has every access before it
  // reports the end. Disabling first means no copy of an fd anywhere (a forked child's) keeps an armed event.
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

  perf_event_attr attributes() const;
  uint64_t unrecordedLostLocked();
  size_t regCount() const { return kind_ == SlotKind::Stop ? kSampledRegisters : 0; }
  std::vector<ParentFailure> modifyLocked(int slot, const perf_event_attr& attr);
  void drainLocked(bool wakeUp = true);
  void takeLocked(LogBatch& out);
  void drainLoop();

  int slots_;
  SlotKind kind_;
  int cpus_;
  size_t ringPages_ = 0;
  std::vector<Ring> rings_;
  std::vector<Parent> parents_;
  std::unordered_map<uint64_t, int> slotOfId_;
  std::vector<uint32_t> generations_;
  LogBatch queued_;        // drained, not yet taken
  // The kernel tells of samples it dropped (buffer full) in a LOST record written before its next sample in that
  // buffer: the drops after the last sample are never told. Events opened with PERF_FORMAT_LOST (6.0+) count
  // every drop; close() adds what the records never told.
  bool lostFormat_ = false;
  uint64_t recordedLost_ = 0;  // told by LOST records so far
  bool notified_ = false;  // a wake-up is on its way and take() has not run since
  Notify notify_;
  std::mutex mutex_;  // guards everything above once the drain thread runs
  UniqueFd wake_;
  std::atomic<bool> stopping_{false};
  std::thread drainer_;
  std::vector<DecodedSample> scratch_;
  std::vector<uint64_t> scratchRegs_;
};

}  // namespace pwatch
