/*
 * silent N: one thread writes a new value to `counter` N times, then prints how long the loop took
 * (CLOCK_MONOTONIC). With a data breakpoint whose condition is never true every write traps and is resumed
 * silently: the loop time over N is the cost of one silent resume.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile long counter;

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a); /* BP:silent-ready */
  for (long i = 1; i <= n; i++) counter = i;
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("silent: %ld writes in %.3f ms\n", n, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
  return 0;
}
