/*
 * bsstail: a static counter placed after a large static array, so it lives in the part of .bss past the
 * program file's own mapping (an anonymous mapping with no file name, like pigz's write_head). Three workers
 * add to it in turn.
 */
#include <pthread.h>
#include <stdio.h>

static char big_table[1 << 20];
static long tail_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  long step = (long)arg;
  for (int i = 0; i < 2; i++) {
    pthread_mutex_lock(&lock);
    tail_counter += step; /* BP:bsstail-write */
    big_table[step] = (char)i;
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

int main(void) {
  pthread_t threads[3];
  printf("bsstail: starting\n"); /* BP:bsstail-start */
  for (long i = 0; i < 3; i++) pthread_create(&threads[i], NULL, worker, (void *)(i + 1));
  for (int i = 0; i < 3; i++) pthread_join(threads[i], NULL);
  printf("bsstail: %ld\n", tail_counter);
  return 0;
}
