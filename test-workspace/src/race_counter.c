/*
 * race_counter [SECONDS]: a lost update. Four threads increment one counter with no lock, for SECONDS (default 30):
 * the increments of one thread race with the others' (read, add, write back).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "race_common.h"

long counter;
static double deadline;

static void *worker(void *arg) {
  long *mine = arg;
  while (seconds_now() < deadline) {
    for (int i = 0; i < 1000; i++) {
      counter++; /* BP:counter-increment */
      (*mine)++;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  printf("race_counter: pid %d\n", (int)getpid());
  fflush(stdout);
  pthread_t threads[4];
  long counts[4] = {0};
  for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, worker, &counts[i]);
  long total = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    total += counts[i];
  }
  printf("race_counter: %ld increments, counter %ld (%ld lost)\n", total, counter, total - counter);
  return 0;
}
