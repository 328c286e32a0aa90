/*
 * nonstop: a spinner thread counts `progress` all the time; a writer thread writes target_value every
 * 50 ms; two racer threads write pair_value at nearly the same moment. For stopMode "thread": while one
 * thread is stopped, the test watches `progress` keep growing.
 * Usage: nonstop [writes (default 10)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile long progress = 0;
volatile int stop_spinner = 0;
long target_value = 0;
long pair_value = 0;
static pthread_barrier_t race;

static void *spinner(void *unused)
{
    (void)unused;
    while (!stop_spinner) {
        progress++; /* BP:ns-spin */
        usleep(100);
    }
    return NULL;
}

static void *writer(void *arg)
{
    long writes = (long)arg;
    for (long i = 0; i < writes; i++) {
        usleep(50000);
        target_value = i + 1; /* BP:ns-write */
    }
    return NULL;
}

static void *racer(void *arg)
{
    long value = (long)arg;
    pthread_barrier_wait(&race);
    __atomic_add_fetch(&pair_value, value, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(int argc, char **argv)
{
    long writes = argc > 1 ? atol(argv[1]) : 10;
    pthread_t spin, write, racers[2];
    pthread_barrier_init(&race, NULL, 2);
    pthread_create(&spin, NULL, spinner, NULL);
    pthread_create(&write, NULL, writer, (void *)writes);
    pthread_create(&racers[0], NULL, racer, (void *)1);
    pthread_create(&racers[1], NULL, racer, (void *)1);
    pthread_join(racers[0], NULL);
    pthread_join(racers[1], NULL);
    pthread_join(write, NULL);
    stop_spinner = 1;
    pthread_join(spin, NULL);
    printf("nonstop: progress %ld, target_value %ld, pair_value %ld\n", progress, target_value, pair_value);
    return 0;
}
