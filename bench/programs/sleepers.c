/*
 * sleepers: N threads that sleep forever (blocked on a condition variable) and a main thread that stops
 * at BP:bench-ready once all exist, then sleeps too. Nothing touches bench_target, so arming a watchpoint
 * on it measures the arming alone.
 * Usage: sleepers [threads (default 1)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

long bench_target = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static int started = 0;

static void *sleeper(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    started++;
    pthread_cond_broadcast(&never);
    for (;;)
        pthread_cond_wait(&never, &lock);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (int i = 0; i < threads; i++) {
        pthread_t thread;
        if (pthread_create(&thread, &attr, sleeper, NULL) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    pthread_mutex_lock(&lock);
    while (started < threads)
        pthread_cond_wait(&never, &lock);
    pthread_mutex_unlock(&lock);
    printf("sleepers: %d threads ready\n", threads); /* BP:bench-ready */
    fflush(stdout);
    for (;;)
        pause();
    return 0;
}
