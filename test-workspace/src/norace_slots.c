/*
 * norace_slots [SECONDS]: two threads each count in their own half of one aligned 8-byte array (slots[0], slots[1]),
 * and in their own byte of another (bytes[i]): one debug register watches both halves, but no byte is shared:
 * race-free.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "race_common.h"

int slots[2] __attribute__((aligned(8)));
char bytes[8] __attribute__((aligned(8)));
static double deadline;

static void *worker(void *arg) {
  long index = (long)arg;
  while (seconds_now() < deadline) {
    for (int i = 0; i < 1000; i++) {
      slots[index]++; /* BP:slot-increment */
      bytes[index]++;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  deadline = seconds_now() + (argc > 1 ? atof(argv[1]) : 30);
  printf("norace_slots: pid %d\n", (int)getpid());
  fflush(stdout);
  pthread_t threads[2];
  for (long i = 0; i < 2; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  printf("norace_slots: %d + %d increments\n", slots[0], slots[1]);
  return 0;
}
