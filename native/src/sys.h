// The one thin layer over raw Linux system calls. Nothing here throws: every call returns
// its result and the errno it failed with, so callers decide what a failure means.
#pragma once

#include <linux/perf_event.h>
#include <sys/types.h>

#include <string>

#include "unique_fd.h"

namespace pwatch {
namespace sys {

struct FdResult {
  UniqueFd fd;
  int err = 0;  // errno when !fd.valid()
};

// perf_event_open(2) with PERF_FLAG_FD_CLOEXEC: the fd never leaks into gdb or the debuggee.
FdResult perfEventOpen(perf_event_attr& attr, pid_t pid, int cpu, int groupFd);

// PERF_EVENT_IOC_MODIFY_ATTRIBUTES on one event: moves, re-types, arms or disarms a breakpoint event
// and every event inherited from it. Returns 0 or the errno.
int perfModifyAttributes(int fd, perf_event_attr& attr);

// The kernel release string (uname -r), empty if uname fails.
std::string kernelRelease();

// The first line of a small file such as /proc/sys/kernel/perf_event_paranoid; err set on failure.
std::string readFirstLine(const char* path, int& err);

// A forked child that blocks until released (it only calls read and _exit, both async-signal-safe,
// because the parent is multithreaded). Returns the pid and the write end that releases it.
struct IdleChild {
  pid_t pid = -1;
  UniqueFd release;
  int err = 0;
};
IdleChild forkIdleChild();

// Ends and reaps a child made by forkIdleChild.
void killAndReap(pid_t pid);

// A new pseudo-terminal pair: no CR/LF translation, no echo, signals from the interrupt character.
struct PtyPair {
  UniqueFd master;
  UniqueFd slave;
  std::string slavePath;
  int err = 0;
  const char* failedCall = "";
};
PtyPair openRawPty();

// A child like forkIdleChild that first makes the pty slave at `path` the controlling terminal of a
// session of its own, and holds it until released.
IdleChild holdControllingTerminal(const std::string& path);

// Waits for a child of ours to exit (it was told to, so the wait is short).
void reap(pid_t pid);

}  // namespace sys
}  // namespace pwatch
