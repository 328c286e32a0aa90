/*
 * hitter: N sleeping threads, one thread that counts `progress` as fast as it can, and a writer that
 * writes hit_target every 20 ms, noting the CLOCK_MONOTONIC time just before each write in
 * last_write_ns (so the harness can compute access -> stopped latency). Prints "hitter: pid P ready".
 * Usage: hitter [sleeping threads (default 1)] [writes (default 1000)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "sleeping_threads.h"

long hit_target = 0;
volatile long last_write_ns = 0;
volatile long progress = 0;

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    long writes = argc > 2 ? atol(argv[2]) : 1000;
    pthread_attr_t attr;
    small_stack_attr(&attr);
    if (start_sleeping_threads(threads, &attr) != 0)
        return 1;
    pthread_t thread;
    pthread_create(&thread, &attr, spinning_thread, (void *)&progress);
    printf("hitter: pid %d ready\n", (int)getpid()); /* BP:hitter-ready */
    fflush(stdout);
    for (long i = 0; i < writes; i++) {
        usleep(20000);
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        last_write_ns = ts.tv_sec * 1000000000L + ts.tv_nsec;
        hit_target = i + 1;
    }
    return 0;
}
