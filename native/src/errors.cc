#include "errors.h"

#include <errno.h>
#include <string.h>

namespace pwatch {

std::string errnoCode(int err) {
  switch (err) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOSPC: return "ENOSPC";
    case ESRCH: return "ESRCH";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ENOSYS: return "ENOSYS";
    case EBUSY: return "EBUSY";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    default: return "E" + std::to_string(err);
  }
}

std::string perfOpenReason(int err, int paranoid) {
  switch (err) {
    case EACCES:
    case EPERM:
      return "permission denied (perf_event_paranoid is " + std::to_string(paranoid) +
             "): allow it with 'sysctl kernel.perf_event_paranoid=2', grant CAP_PERFMON, or check that "
             "ptrace may attach to the process (kernel.yama.ptrace_scope); in a container, the seccomp profile must "
             "allow perf_event_open";
    case ENOSPC:
      return "no free debug register: the program, gdb or another tool holds all of them";
    case ESRCH:
      return "the thread is gone";
    case EINVAL:
      return "the kernel refused the event attributes (inherited sigtrap breakpoints need Linux 5.13 or later, and re-arming them 5.17)";
    case ENOENT:
    case EOPNOTSUPP:
      return "this machine has no hardware breakpoint support (a virtual machine without debug registers?)";
    case ENOSYS:
      return "perf_event_open is unavailable (kernel without CONFIG_PERF_EVENTS, or blocked by seccomp)";
    case EMFILE:
    case ENFILE:
      return "out of file descriptors: raise the limit with 'ulimit -n'";
    default:
      return std::string("perf_event_open failed: ") + strerror(err);
  }
}

std::string perfIoctlReason(int err) {
  switch (err) {
    case EINVAL:
      return "the kernel refused to re-arm the breakpoint (PERF_EVENT_IOC_MODIFY_ATTRIBUTES with a new sig_data needs "
             "Linux 5.17 or later; the address and length must be aligned)";
    case ENOSPC:
      return "no free debug register in a thread created since: the program, gdb or another tool holds all of them";
    case ESRCH:
      return "the thread is gone";
    case ENOMEM:
      return "the kernel is out of memory";
    case EFAULT:
      return "the kernel could not read the breakpoint attributes";
    default:
      return std::string("re-arming the breakpoint failed: ") + strerror(err);
  }
}

}  // namespace pwatch
