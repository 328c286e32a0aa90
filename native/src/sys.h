// The one thin layer over raw Linux system calls. Nothing here throws: every call returns
// its result and the errno it failed with, so callers decide what a failure means.
#pragma once

#include <linux/perf_event.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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

// PERF_EVENT_IOC_ENABLE / _DISABLE on one event and every event inherited from it. 0 or the errno.
int perfEnable(int fd);
int perfDisable(int fd);

// read(2) of a counting event: how many times it fired (for an inherited parent, with its children's).
int perfReadCount(int fd, uint64_t& count);

// read(2) of an event opened with read_format PERF_FORMAT_LOST (Linux 6.0+): its count, then the samples the
// kernel could not write for it and its inherited children (the buffer was full).
int perfReadLost(int fd, uint64_t& lost);

// PERF_EVENT_IOC_SET_OUTPUT: `fd` writes its samples into the ring buffer mapped on `outputFd`.
int perfSetOutput(int fd, int outputFd);

// PERF_EVENT_IOC_ID: the id samples carry for this event (and for the children inherited from it).
int perfEventId(int fd, uint64_t& id);

// A perf ring buffer: one control page and 2^n data pages mapped read-write, unmapped by the destructor.
class RingMapping {
 public:
  RingMapping() = default;
  ~RingMapping();
  RingMapping(const RingMapping&) = delete;
  RingMapping& operator=(const RingMapping&) = delete;
  RingMapping(RingMapping&& other) noexcept;
  RingMapping& operator=(RingMapping&& other) noexcept;
  bool valid() const { return base_ != nullptr; }
  void* base() const { return base_; }
  size_t size() const { return size_; }

 private:
  friend RingMapping mapRing(int fd, size_t dataPages, int& err);
  void* base_ = nullptr;
  size_t size_ = 0;
};
RingMapping mapRing(int fd, size_t dataPages, int& err);

size_t pageSize();

// Number of CPUs configured on this machine (per-CPU events are opened for 0..n-1).
int cpuCount();

// An eventfd that wakes a poll loop; signal() makes it readable, drain() resets it.
UniqueFd makeWakeFd(int& err);
void signalWakeFd(int fd);

// poll(2) for readability of every fd, EINTR retried; returns the number ready or -errno.
int pollReadable(const std::vector<int>& fds, std::vector<bool>& ready, int timeoutMs);

// Raises this process's open-file limit towards `wanted`: the soft limit up to the hard one, and the hard
// one too when we may (CAP_SYS_RESOURCE). Returns the soft limit in force afterwards.
uint64_t raiseOpenFileLimit(uint64_t wanted);

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

// Reaps the child if it has exited, without waiting; true when there is nothing left to wait for.
bool reapIfExited(pid_t pid);

}  // namespace sys
}  // namespace pwatch
