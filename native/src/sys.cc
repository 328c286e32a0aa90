#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

namespace pwatch {
namespace sys {

FdResult perfEventOpen(perf_event_attr& attr, pid_t pid, int cpu, int groupFd) {
  FdResult result;
  long fd = ::syscall(SYS_perf_event_open, &attr, pid, cpu, groupFd, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) {
    result.err = errno;
  } else {
    result.fd.reset(static_cast<int>(fd));
  }
  return result;
}

int perfModifyAttributes(int fd, perf_event_attr& attr) {
  if (::ioctl(fd, PERF_EVENT_IOC_MODIFY_ATTRIBUTES, &attr) != 0) return errno;
  return 0;
}

int perfEnable(int fd) {
  if (::ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) != 0) return errno;
  return 0;
}

int perfDisable(int fd) {
  if (::ioctl(fd, PERF_EVENT_IOC_DISABLE, 0) != 0) return errno;
  return 0;
}

int perfReadCount(int fd, uint64_t& count) {
  ssize_t got = ::read(fd, &count, sizeof(count));
  if (got < 0) return errno;
  return got == static_cast<ssize_t>(sizeof(count)) ? 0 : EIO;
}

int perfReadLost(int fd, uint64_t& lost) {
  uint64_t values[2] = {0, 0};
  ssize_t got = ::read(fd, values, sizeof(values));
  if (got < 0) return errno;
  if (got != static_cast<ssize_t>(sizeof(values))) return EIO;
  lost = values[1];
  return 0;
}

int perfSetOutput(int fd, int outputFd) {
  if (::ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, outputFd) != 0) return errno;
  return 0;
}

int perfEventId(int fd, uint64_t& id) {
  if (::ioctl(fd, PERF_EVENT_IOC_ID, &id) != 0) return errno;
  return 0;
}

RingMapping::~RingMapping() {
  if (base_ != nullptr) ::munmap(base_, size_);
}

RingMapping::RingMapping(RingMapping&& other) noexcept : base_(other.base_), size_(other.size_) {
  other.base_ = nullptr;
  other.size_ = 0;
}

RingMapping& RingMapping::operator=(RingMapping&& other) noexcept {
  if (this != &other) {
    if (base_ != nullptr) ::munmap(base_, size_);
    base_ = other.base_;
    size_ = other.size_;
    other.base_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

RingMapping mapRing(int fd, size_t dataPages, int& err) {
  RingMapping mapping;
  size_t size = (dataPages + 1) * pageSize();
  // Read-write so the reader can publish data_tail: the kernel then never overwrites unread samples.
  void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    err = errno;
    return mapping;
  }
  err = 0;
  mapping.base_ = base;
  mapping.size_ = size;
  return mapping;
}

size_t pageSize() { return static_cast<size_t>(::sysconf(_SC_PAGESIZE)); }

int cpuCount() {
  long n = ::sysconf(_SC_NPROCESSORS_CONF);
  return n > 0 ? static_cast<int>(n) : 1;
}

UniqueFd makeWakeFd(int& err) {
  int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  err = fd < 0 ? errno : 0;
  return UniqueFd(fd);
}

void signalWakeFd(int fd) {
  uint64_t one = 1;
  ssize_t n;
  do {
    n = ::write(fd, &one, sizeof(one));
  } while (n < 0 && errno == EINTR);
}

int pollReadable(const std::vector<int>& fds, std::vector<bool>& ready, int timeoutMs) {
  std::vector<struct pollfd> polls;
  polls.reserve(fds.size());
  for (int fd : fds) polls.push_back({fd, POLLIN, 0});
  int n;
  do {
    n = ::poll(polls.data(), polls.size(), timeoutMs);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -errno;
  ready.assign(fds.size(), false);
  for (size_t i = 0; i < polls.size(); i++) ready[i] = (polls[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  return n;
}

uint64_t raiseOpenFileLimit(uint64_t wanted) {
  struct rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur >= wanted) return limit.rlim_cur;
  if (limit.rlim_max < wanted) {
    struct rlimit higher = {wanted, wanted};
    if (::setrlimit(RLIMIT_NOFILE, &higher) == 0) return wanted;
  }
  limit.rlim_cur = limit.rlim_max < wanted ? limit.rlim_max : wanted;
  ::setrlimit(RLIMIT_NOFILE, &limit);
  ::getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

std::string kernelRelease() {
  struct utsname name;
  if (::uname(&name) != 0) return std::string();
  return std::string(name.release);
}

std::string readFirstLine(const char* path, int& err) {
  err = 0;
  UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    err = errno;
    return std::string();
  }
  char buffer[256];
  ssize_t n;
  do {
    n = ::read(fd.get(), buffer, sizeof(buffer) - 1);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    err = errno;
    return std::string();
  }
  std::string text(buffer, static_cast<size_t>(n));
  size_t newline = text.find('\n');
  if (newline != std::string::npos) text.resize(newline);
  return text;
}

namespace {

// Closes every descriptor of this (just forked) process but `keepA` and `keepB` (-1: none). The parent is an
// editor's extension host or an adapter with perf events, pipes and terminals open: a child that kept copies
// would keep armed events alive after the adapter closed its own, and hold other sessions' release pipes
// open. Async-signal-safe.
void closeAllExcept(int keepA, int keepB) {
  int low = keepB < 0 || keepA < keepB ? keepA : keepB;
  int high = keepB < 0 ? keepA : (keepA < keepB ? keepB : keepA);
  auto closeRange = [](int first, int last) {
    return first > last || ::syscall(SYS_close_range, static_cast<unsigned>(first), static_cast<unsigned>(last), 0u) == 0;
  };
  if (closeRange(0, low - 1) && closeRange(low + 1, high - 1) && closeRange(high + 1, 0x7fffffff)) return;
  // Before Linux 5.9: one close per possible descriptor.
  struct rlimit limit;
  rlim_t most = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < (1u << 20) ? limit.rlim_cur : (1u << 20);
  for (rlim_t fd = 0; fd < most; fd++) {
    if (static_cast<int>(fd) != keepA && static_cast<int>(fd) != keepB) ::close(static_cast<int>(fd));
  }
}

// A child that blocks until its parent closes the release pipe, then exits. With a terminal path it
// first starts a session of its own and opens the terminal, which becomes its controlling terminal.
// The parent is multithreaded, so the child makes only async-signal-safe calls.
IdleChild forkHeldChild(const char* terminalPath) {
  IdleChild child;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    child.err = errno;
    return child;
  }
  UniqueFd readEnd(fds[0]);
  child.release.reset(fds[1]);
  pid_t pid = ::fork();
  if (pid < 0) {
    child.err = errno;
    child.release.reset();
    return child;
  }
  if (pid == 0) {
    int tty = -1;
    if (terminalPath != nullptr) {
      ::setsid();
      // Opened before the inherited descriptors are closed, so the terminal's slave side is never without an
      // open descriptor (the master would read EIO, and the adapter would drop the terminal).
      tty = ::open(terminalPath, O_RDWR);  // no O_NOCTTY: a session leader acquires it
    }
    closeAllExcept(readEnd.get(), tty);
    char byte;
    while (::read(readEnd.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    if (tty >= 0) ::close(tty);
    ::_exit(0);
  }
  child.pid = pid;
  return child;
}

}  // namespace

IdleChild forkIdleChild() { return forkHeldChild(nullptr); }

IdleChild holdControllingTerminal(const std::string& path) { return forkHeldChild(path.c_str()); }

void reap(pid_t pid) {
  if (pid <= 0) return;
  int status;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

bool reapIfExited(pid_t pid) {
  if (pid <= 0) return true;
  int status;
  pid_t got;
  while ((got = ::waitpid(pid, &status, WNOHANG)) < 0 && errno == EINTR) {
  }
  return got != 0;  // reaped, or not (or no longer) a child of ours: nothing left to wait for either way
}

void killAndReap(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  reap(pid);
}

PtyPair openRawPty() {
  PtyPair pty;
  pty.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.master.valid()) {
    pty.err = errno;
    pty.failedCall = "posix_openpt";
    return pty;
  }
  if (::grantpt(pty.master.get()) != 0 || ::unlockpt(pty.master.get()) != 0) {
    pty.err = errno;
    pty.failedCall = "unlockpt";
    return pty;
  }
  char path[128];
  if (::ptsname_r(pty.master.get(), path, sizeof(path)) != 0) {
    pty.err = errno;
    pty.failedCall = "ptsname_r";
    return pty;
  }
  pty.slavePath = path;
  pty.slave.reset(::open(path, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!pty.slave.valid()) {
    pty.err = errno;
    pty.failedCall = "open(pts)";
    return pty;
  }
  // Output exactly as written (no \n -> \r\n) and no echo; ISIG stays on because gdb interrupts a
  // program that has its own terminal through that terminal's interrupt character.
  struct termios attrs;
  if (::tcgetattr(pty.slave.get(), &attrs) == 0) {
    attrs.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    attrs.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHONL);
    ::tcsetattr(pty.slave.get(), TCSANOW, &attrs);
  }
  return pty;
}

}  // namespace sys
}  // namespace pwatch
