/*
 * hunt_exec SECONDS PROGRAM [ARGS...]: two threads count under a mutex for SECONDS, then the process executes
 * PROGRAM. For race hunts across an exec: what the hunt placed in this program's code must not reach PROGRAM's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "race_common.h"

long total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static double deadline;

static void *worker(void *arg) {
  (void)arg;
  while (seconds_now() < deadline) {
    pthread_mutex_lock(&lock);
    total++;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: hunt_exec SECONDS PROGRAM [ARGS...]\n");
    return 2;
  }
  printf("hunt_exec: pid %d\n", (int)getpid());
  fflush(stdout);
  deadline = seconds_now() + atof(argv[1]);
  pthread_t threads[2];
  for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, worker, NULL);
  for (int i = 0; i < 2; i++) pthread_join(threads[i], NULL);
  printf("hunt_exec: %ld increments, executing %s\n", total, argv[2]);
  fflush(stdout);
  execv(argv[2], argv + 2);
  perror("execv");
  return 1;
}
