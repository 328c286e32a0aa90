/*
 * logstorm: worker threads write one shared variable in a tight loop, each a different number of times,
 * so a data logpoint's per-thread counts can be checked against what each thread really did.
 * Usage: logstorm [threads (1-64, default 4)] [writes of thread 0 (default 1000)] [wait]
 * Thread i writes (i + 1) * base times. With "wait", main waits for a line on stdin before starting the
 * threads (for tools that arm from outside the debugger). Writes are relaxed atomic stores so the count is
 * exact whatever the interleaving; the loads between them stay plain reads of a local.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

long storm_target = 0;

struct storm_arg {
    int index;
    long writes;
};

static void *storm(void *p)
{
    struct storm_arg *arg = p;
    for (long i = 0; i < arg->writes; i++)
        __atomic_store_n(&storm_target, i, __ATOMIC_RELAXED); /* BP:storm-write */
    printf("logstorm: thread %d tid %ld wrote %ld times\n", arg->index, (long)syscall(SYS_gettid), arg->writes);
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 4;
    long base = argc > 2 ? atol(argv[2]) : 1000;
    int wait_for_line = argc > 3 && strcmp(argv[3], "wait") == 0;
    if (threads < 1 || threads > 64)
        threads = 4;
    printf("logstorm: pid %d, %d threads, &storm_target %p\n", (int)getpid(), threads, (void *)&storm_target);
    fflush(stdout);
    if (wait_for_line) {
        char line[16];
        if (!fgets(line, sizeof(line), stdin))
            return 1;
    }
    pthread_t ids[64];
    struct storm_arg args[64];
    for (int i = 0; i < threads; i++) { /* BP:storm-start */
        args[i].index = i;
        args[i].writes = (i + 1) * base;
        pthread_create(&ids[i], NULL, storm, &args[i]);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(ids[i], NULL);
    printf("logstorm: done\n"); /* BP:storm-done */
    return 0;
}
