/*
 * busy: many threads that each count in a loop with a short sleep, for tests that keep the debugger busy
 * (a logpoint on the counting line is hit thousands of times a second) while something else happens,
 * such as a detach. Exits by itself after a deadline.
 * Usage: busy [threads (default 64)] [seconds (default 60)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 256

volatile long ticks[MAX_THREADS];

static void *counter(void *arg)
{
    long index = (long)arg;
    for (;;) {
        ticks[index]++; /* BP:busy-tick */
        usleep(1000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 64;
    int seconds = argc > 2 ? atoi(argv[2]) : 60;
    if (threads < 1 || threads > MAX_THREADS)
        threads = 64;
    pthread_t thread;
    for (long i = 0; i < threads; i++)
        pthread_create(&thread, NULL, counter, (void *)i);
    printf("busy: pid %d, %d threads\n", (int)getpid(), threads);
    fflush(stdout);
    time_t deadline = time(NULL) + seconds;
    while (time(NULL) < deadline)
        sleep(1);
    return 0;
}
