/*
 * race_publish [SECONDS]: publication without a barrier. A producer fills a message and raises a plain flag; a
 * consumer spins on the flag, reads the message and lowers the flag. Nothing orders the flag's accesses (no atomic,
 * no lock, no fence): the compiler and the CPU may reorder them.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "race_common.h"

long message;
int ready;
static double deadline;
static long received;

static void *producer(void *arg) {
  (void)arg;
  long n = 0;
  while (seconds_now() < deadline) {
    if (!ready) {
      message = ++n;
      ready = 1; /* BP:publish-set */
    }
  }
  return NULL;
}

static void *consumer(void *arg) {
  (void)arg;
  while (seconds_now() < deadline) {
    if (ready) { /* BP:publish-check */
      received += message;
      ready = 0;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  pthread_t p, c;
  pthread_create(&p, NULL, producer, NULL);
  pthread_create(&c, NULL, consumer, NULL);
  pthread_join(p, NULL);
  pthread_join(c, NULL);
  printf("race_publish: received %ld\n", received);
  return 0;
}
