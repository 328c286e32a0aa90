/*
 * selftrap: a program that uses a hardware breakpoint of its own, as a profiler or a sanitizer might: a perf
 * breakpoint event with sigtrap on its own variable, and a SIGTRAP handler that counts the traps carrying its
 * own sig_data. It writes `mine` 5 times and `shared` 3 times (for a debugger's data breakpoint beside it), and
 * exits 0 only if all 5 of its traps reached its handler.
 */
#define _GNU_SOURCE
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef TRAP_PERF
#define TRAP_PERF 6
#endif
#define MY_SIG_DATA 0x5e1f7a9ull

volatile long mine;
volatile long shared;
static volatile sig_atomic_t my_traps, other_traps;

static void on_trap(int sig, siginfo_t *info, void *context) {
  (void)sig;
  (void)context;
  /* si_perf_data is the 4th word of siginfo (glibc 2.36 does not name it yet). */
  unsigned long perf_data = ((const unsigned long *)info)[3];
  if (info->si_code == TRAP_PERF && perf_data == MY_SIG_DATA) {
    my_traps++;
  } else {
    other_traps++;
  }
}

int main(void) {
  struct sigaction action;
  memset(&action, 0, sizeof(action));
  action.sa_sigaction = on_trap;
  action.sa_flags = SA_SIGINFO;
  sigaction(SIGTRAP, &action, NULL);

  struct perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.type = PERF_TYPE_BREAKPOINT;
  attr.size = sizeof(attr);
  attr.bp_type = HW_BREAKPOINT_W;
  attr.bp_addr = (uintptr_t)&mine;
  attr.bp_len = HW_BREAKPOINT_LEN_8;
  attr.sample_period = 1;
  attr.sigtrap = 1;
  attr.remove_on_exec = 1;
  attr.exclude_kernel = 1;
  attr.sig_data = MY_SIG_DATA;
  int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  if (fd < 0) {
    perror("selftrap: perf_event_open");
    return 4;
  }
  printf("selftrap: armed\n"); /* BP:selftrap-armed */
  fflush(stdout);
  for (int i = 1; i <= 5; i++) {
    mine = i;
    if (i % 2 == 1) shared = i; /* BP:selftrap-shared */
  }
  close(fd);
  printf("selftrap: %d of 5 own traps, %d others\n", (int)my_traps, (int)other_traps);
  return my_traps == 5 && other_traps == 0 ? 0 : 3;
}
