/*
 * silent N [FILE]: one thread writes a new value to `counter` N times, then prints how long the loop took
 * (CLOCK_MONOTONIC), into FILE when given (the bench reads it there, whatever the debugger does with stdout). With a data breakpoint whose condition is never true every write traps and is resumed
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
  FILE *out = argc > 2 ? fopen(argv[2], "w") : stdout;
  if (!out) return 2;
  fprintf(out, "silent: %ld writes in %.3f ms\n", n, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
  return fclose(out) == 0 ? 0 : 3;
}
