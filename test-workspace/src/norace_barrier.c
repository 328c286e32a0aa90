/*
 * norace_barrier [SECONDS]: phases separated by a barrier. Each thread writes its own cell, all meet at the barrier,
 * then each reads its neighbour's cell, and all meet again: every cell is written and read by different threads, but
 * never in the same phase: race-free.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "race_common.h"

#define THREADS 4
long cells[THREADS];
static pthread_barrier_t phase;
static double deadline;
static volatile int stop;
static long sums[THREADS];

static void *worker(void *arg) {
  long me = (long)arg;
  for (long round = 1;; round++) {
    cells[me] = round * (me + 1); /* BP:barrier-write */
    pthread_barrier_wait(&phase);
    sums[me] += cells[(me + 1) % THREADS]; /* BP:barrier-read */
    if (me == 0) stop = seconds_now() >= deadline;
    pthread_barrier_wait(&phase);
    if (stop) break;
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  pthread_t threads[THREADS];
  pthread_barrier_init(&phase, NULL, THREADS);
  for (long i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
  printf("norace_barrier: %ld %ld %ld %ld\n", sums[0], sums[1], sums[2], sums[3]);
  return 0;
}
