/*
 * crash: four workers wait at a barrier while one of them writes through a null pointer, so the program dies of
 * SIGSEGV with every thread alive. It raises its own core size limit first, so the kernel writes a core file
 * wherever core_pattern says (in the current directory when it is a plain name), for the core dump tests.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#define WORKERS 4

static pthread_barrier_t ready;
static int ledger[WORKERS];
static volatile int *null_slot;

static void *worker(void *arg)
{
    int index = (int)(long)arg;
    ledger[index] = 100 + index;
    pthread_barrier_wait(&ready);
    if (index == 2) {
        int doomed = ledger[index];
        *null_slot = doomed; /* BP:crash-fault */
    }
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    setrlimit(RLIMIT_CORE, &unlimited);
    pthread_t threads[WORKERS];
    pthread_barrier_init(&ready, NULL, WORKERS + 1);
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)i);
    printf("crash: pid %d, %d workers\n", (int)getpid(), WORKERS);
    fflush(stdout);
    pthread_barrier_wait(&ready);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL); /* BP:crash-join */
    return 0;
}
