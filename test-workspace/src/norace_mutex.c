/* norace_mutex [SECONDS]: race_counter with its increment under a mutex: race-free. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "race_common.h"

long counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double deadline;

static void *worker(void *arg) {
  long *mine = arg;
  while (seconds_now() < deadline) {
    for (int i = 0; i < 100; i++) {
      pthread_mutex_lock(&lock);
      counter++; /* BP:mutex-increment */
      pthread_mutex_unlock(&lock);
      (*mine)++;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  pthread_t threads[4];
  long counts[4] = {0};
  for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, worker, &counts[i]);
  long total = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(threads[i], NULL);
    total += counts[i];
  }
  printf("norace_mutex: %ld increments, counter %ld\n", total, counter);
  return total == counter ? 0 : 1;
}
