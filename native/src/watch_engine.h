// The process-wide watchpoint engine. K "slots" are hardware breakpoint events opened disabled on
// parent threads with inherit + inherit_thread, so every thread those create carries them too. Arming a
// slot is one PERF_EVENT_IOC_MODIFY_ATTRIBUTES per parent event: the kernel walks the inherited children.
#pragma once

#include <linux/perf_event.h>
#include <sys/types.h>

#include <cstdint>
#include <vector>

#include "unique_fd.h"

namespace pwatch {

struct ThreadOpen {
  pid_t tid;
  int err;  // 0: the thread got every slot; otherwise it got none (all-or-nothing per thread)
};

struct ParentFailure {
  pid_t tid;  // the parent whose event (or one of its inherited children) refused
  int err;
};

enum class Access { Write, ReadWrite };

class WatchEngine {
 public:
  explicit WatchEngine(int slots) : slots_(slots) {}

  int slots() const { return slots_; }

  // Opens every slot, disabled, on each thread. A thread that refuses one slot keeps none of them, so a
  // covered thread is covered by every slot.
  std::vector<ThreadOpen> addThreads(const std::vector<pid_t>& tids);

  // Points a slot at [address, address+length) for `access`, with `sigData` in every signal, enabled.
  std::vector<ParentFailure> arm(int slot, uint64_t address, int length, Access access, uint64_t sigData);

  // Disables a slot everywhere (the registers stay reserved for the next arming).
  std::vector<ParentFailure> disarm(int slot);

  // Parent threads that hold events (the thread itself may have exited; its children stay covered).
  std::vector<pid_t> parents() const;

  // Disarms every slot, then closes every event (the kernel removes the inherited children with them).
  // Disarming first means no copy of an fd anywhere (a forked child's) can leave an armed event behind.
  void close();

 private:
  struct Parent {
    pid_t tid;
    std::vector<UniqueFd> fds;  // one per slot
  };

  std::vector<ParentFailure> modify(int slot, const perf_event_attr& attr);

  int slots_;
  std::vector<Parent> parents_;
};

// The attributes every slot event is created with; MODIFY must repeat them except for the fields it may change.
perf_event_attr slotAttributes();

}  // namespace pwatch
