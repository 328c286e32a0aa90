/*
 * norace_atomic [SECONDS]: race_counter with atomic increments (a locked add), and a monitor thread that reads the
 * counter with atomic loads (plain moves on x86): race-free.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "race_common.h"

long counter;
static double deadline;
static long peak;

static void *worker(void *arg) {
  long *mine = arg;
  while (seconds_now() < deadline) {
    for (int i = 0; i < 1000; i++) {
      __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST); /* BP:atomic-increment */
      (*mine)++;
    }
  }
  return NULL;
}

static void *monitor(void *arg) {
  (void)arg;
  while (seconds_now() < deadline) {
    long now = __atomic_load_n(&counter, __ATOMIC_ACQUIRE); /* BP:atomic-read */
    if (now > peak) peak = now;
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  pthread_t threads[3], watcher;
  long counts[3] = {0};
  for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, worker, &counts[i]);
  pthread_create(&watcher, NULL, monitor, NULL);
  long total = 0;
  for (int i = 0; i < 3; i++) {
    pthread_join(threads[i], NULL);
    total += counts[i];
  }
  pthread_join(watcher, NULL);
  printf("norace_atomic: %ld increments, counter %ld\n", total, counter);
  return total == counter ? 0 : 1;
}
