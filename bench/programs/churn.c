/*
 * churn: with N sleeping threads present, does fixed CPU work, then creates and joins threads one after
 * another, timing both with CLOCK_MONOTONIC. Nothing touches churn_unused, so a watchpoint on it is
 * armed and never hit: what it costs is pure overhead. Prints one line:
 *   churn: work_ms=W create_join_per_s=R
 * Usage: churn [sleeping threads (default 1)] [create+join count (default 2000)] [wait]
 * With "wait", it prints "churn: ready, &churn_unused ADDRESS" once its sleeping threads exist and waits for a line on stdin before it
 * starts (for tools that arm from outside, without a debugger).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sleeping_threads.h"

long churn_unused = 0;
volatile long churn_sink = 0;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *nothing(void *unused)
{
    return unused;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1; /* BP:churn-start */
    int joins = argc > 2 ? atoi(argv[2]) : 2000;
    pthread_attr_t attr;
    small_stack_attr(&attr);
    if (start_sleeping_threads(threads, &attr) != 0)
        return 1;
    if (argc > 3 && strcmp(argv[3], "wait") == 0) {
        char line[16];
        printf("churn: ready, &churn_unused %p\n", (void *)&churn_unused);
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin))
            return 1;
    }

    double t0 = now_ms();
    for (long i = 0; i < 1000000000L; i++)
        churn_sink += i;
    double work = now_ms() - t0;

    t0 = now_ms();
    for (int i = 0; i < joins; i++) {
        pthread_t thread;
        pthread_create(&thread, &attr, nothing, NULL);
        pthread_join(thread, NULL);
    }
    double churn = now_ms() - t0;
    printf("churn: work_ms=%.1f create_join_per_s=%.0f\n", work, joins / (churn / 1e3));
    fflush(stdout);
    return 0;
}
