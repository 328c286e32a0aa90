/*
 * sleepers: N threads that sleep forever (and S that spin) and a main thread that stops at BP:bench-ready
 * once all exist, then sleeps too. Nothing touches bench_target, so arming a watchpoint on it measures the
 * arming alone; spinning threads are always on a CPU, where arming reaches them by a cross-CPU call.
 * Usage: sleepers [threads (default 1)] [spinning threads (default 0)]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sleeping_threads.h"

long bench_target = 0;
volatile long spin_count = 0;


int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    int spinners = argc > 2 ? atoi(argv[2]) : 0;
    pthread_attr_t attr;
    small_stack_attr(&attr);
    int err = start_sleeping_threads(threads, &attr);
    if (err != 0) {
        fprintf(stderr, "sleepers: pthread_create: %s\n", strerror(err));
        return 1;
    }
    for (int i = 0; i < spinners; i++) {
        pthread_t thread;
        err = pthread_create(&thread, &attr, spinning_thread, (void *)&spin_count);
        if (err != 0) {
            fprintf(stderr, "sleepers: pthread_create: %s\n", strerror(err));
            return 1;
        }
    }
    printf("sleepers: %d threads ready, %d spinning\n", threads, spinners); /* BP:bench-ready */
    fflush(stdout);
    for (;;)
        pause();
    return 0;
}
