// What every slot event shares, for data breakpoints and data logpoints alike: a hardware breakpoint event
// opened disabled on a parent thread with inherit + inherit_thread, so every thread that parent creates
// carries it too, and armed by one PERF_EVENT_IOC_MODIFY_ATTRIBUTES per parent event (the kernel walks the
// inherited children).
#pragma once

#include <linux/perf_event.h>
#include <sys/types.h>

#include <cstdint>

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

// The attributes of a stopping slot without its sampling fields: the capability probe opens exactly this
// on a child, so a kernel that refuses it is told before any session relies on it.
perf_event_attr slotAttributes();

}  // namespace pwatch
