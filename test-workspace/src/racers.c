/*
 * racers [N] [ROUNDS]: N threads, released together by a barrier, each write a value of their own to one
 * variable, ROUNDS times. The value is the writer's thread id * 1000000 + the round, so every report of a write can
 * be checked against the thread that made it and the value it wrote.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile long race_target;
static pthread_barrier_t start_line, finish_line;
static int rounds = 20;

static void *racer(void *arg) {
  (void)arg;
  long tid = syscall(SYS_gettid);
  for (int round = 1; round <= rounds; round++) {
    pthread_barrier_wait(&start_line);
    race_target = tid * 1000000 + round; /* BP:racers-write */
    pthread_barrier_wait(&finish_line);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4;
  rounds = argc > 2 ? atoi(argv[2]) : 20;
  if (n < 1 || n > 64 || rounds < 1 || rounds >= 1000000) {
    fprintf(stderr, "usage: racers [1-64 threads] [rounds]\n");
    return 2;
  }
  pthread_t threads[64];
  pthread_barrier_init(&start_line, NULL, (unsigned)n);
  pthread_barrier_init(&finish_line, NULL, (unsigned)n);
  for (int i = 0; i < n; i++) pthread_create(&threads[i], NULL, racer, NULL);
  for (int i = 0; i < n; i++) pthread_join(threads[i], NULL);
  printf("racers: %d threads x %d rounds done\n", n, rounds); /* BP:racers-done */
  return 0;
}
