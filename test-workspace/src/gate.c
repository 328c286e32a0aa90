/*
 * gate: worker threads start, then all block at a gate until main opens it; only then do they write
 * gate_value. After they finish, main writes same_value (twice the same value, then another) and the
 * 16-byte wide_value. For data breakpoints armed while threads already exist and are blocked.
 * Usage: gate [worker-count (1-16, default 3)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct wide {
    long lo;
    long hi;
};

long gate_value = 0;
long same_value = 0;
struct wide wide_value = {0, 0};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int waiting = 0;
static int open_gate = 0;

static void *worker(void *arg)
{
    long index = (long)arg;
    pthread_mutex_lock(&lock);
    waiting++;
    pthread_cond_broadcast(&changed);
    while (!open_gate)
        pthread_cond_wait(&changed, &lock);
    gate_value += index + 1; /* BP:gate-write */
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    int workers = argc > 1 ? atoi(argv[1]) : 3;
    if (workers < 1 || workers > 16)
        workers = 3;
    pthread_t threads[16];
    for (long i = 0; i < workers; i++)
        pthread_create(&threads[i], NULL, worker, (void *)i);
    pthread_mutex_lock(&lock);
    while (waiting < workers)
        pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    printf("gate: pid %d, %d workers waiting\n", (int)getpid(), workers);
    fflush(stdout);

    pthread_mutex_lock(&lock); /* BP:gate-ready */
    open_gate = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < workers; i++)
        pthread_join(threads[i], NULL);

    same_value = 5;
    same_value = 5;
    same_value = 7;
    wide_value.hi = 42;
    printf("gate: gate_value=%ld same_value=%ld wide_value.hi=%ld\n", gate_value, same_value, wide_value.hi);
    return 0;
}
