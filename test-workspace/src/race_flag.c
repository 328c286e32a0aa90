/*
 * race_flag [SECONDS]: check-then-act. Threads claim a job slot by testing a flag and then setting it, with no lock
 * between the test and the set: two threads can both see it free and both take it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "race_common.h"

int slot_taken;
static long claims[4];
static double deadline;

static void *worker(void *arg) {
  long me = (long)arg;
  while (seconds_now() < deadline) {
    if (!slot_taken) { /* BP:flag-check */
      slot_taken = 1; /* BP:flag-take */
      claims[me]++;
      slot_taken = 0; /* BP:flag-release */
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  pthread_t threads[4];
  for (long i = 0; i < 4; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
  printf("race_flag: %ld %ld %ld %ld claims\n", claims[0], claims[1], claims[2], claims[3]);
  return 0;
}
