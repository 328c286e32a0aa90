/*
 * mainlocal: a local of main, written a few times; then main returns and the C library's exit code reuses the
 * stack where it lived. A data breakpoint on it must go when main returns.
 */
#include <stdio.h>

int main(void) {
  long total = 0; /* BP:mainlocal-start */
  for (int i = 1; i <= 3; i++) total += i;
  printf("mainlocal: %ld\n", total);
  return 0;
}
