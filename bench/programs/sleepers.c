/*
 * sleepers: N threads that sleep forever and a main thread that stops at BP:bench-ready once all exist,
 * then sleeps too. Nothing touches bench_target, so arming a watchpoint on it measures the arming alone.
 * Usage: sleepers [threads (default 1)]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sleeping_threads.h"

long bench_target = 0;

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    pthread_attr_t attr;
    small_stack_attr(&attr);
    int err = start_sleeping_threads(threads, &attr);
    if (err != 0) {
        fprintf(stderr, "sleepers: pthread_create: %s\n", strerror(err));
        return 1;
    }
    printf("sleepers: %d threads ready\n", threads); /* BP:bench-ready */
    fflush(stdout);
    for (;;)
        pause();
    return 0;
}
