/*
 * threads: worker threads started at different times update a shared counter and a heap buffer.
 * Usage: threads [worker-count (1-16, default 3)] [exit-code (default 0)]
 * The BP:name comments mark lines the tests put breakpoints on; keep them on the statement's line.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct point {
    int x;
    int y;
};

struct config {
    const char *name;
    struct point origin;
    int limits[3];
};

struct worker_arg {
    int index;
    int iterations;
};

long shared_counter = 0;
struct config global_config = {"demo", {3, 4}, {10, 20, 30}};
unsigned char *heap_buffer;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int add(int a, int b)
{
    int sum = a + b; /* BP:add */
    return sum;
}

static void *worker(void *p)
{
    struct worker_arg *arg = p;
    for (int i = 0; i < arg->iterations; i++) {
        pthread_mutex_lock(&lock);
        shared_counter = add((int)shared_counter, 1); /* BP:worker */
        heap_buffer[arg->index] += 1;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int workers = argc > 1 ? atoi(argv[1]) : 3;
    int exit_code = argc > 2 ? atoi(argv[2]) : 0;
    if (workers < 1 || workers > 16)
        workers = 3;
    struct config local_config = global_config;
    local_config.origin.x = 7; /* BP:main-config */
    int total = add(local_config.origin.x, local_config.origin.y); /* BP:main-add */
    heap_buffer = calloc(64, 1);
    printf("threads: pid %d, %d workers, total %d, heap_buffer %p, &shared_counter %p\n", (int)getpid(), workers, /* BP:main-print */
           total, (void *)heap_buffer, (void *)&shared_counter);
    fflush(stdout);

    pthread_t threads[16];
    struct worker_arg args[16];
    for (int i = 0; i < workers; i++) {
        args[i].index = i;
        args[i].iterations = 5;
        pthread_create(&threads[i], NULL, worker, &args[i]);
        usleep(2000 * (i + 1)); /* threads start at different times */
    }
    for (int i = 0; i < workers; i++)
        pthread_join(threads[i], NULL);
    printf("counter=%ld\n", shared_counter);
    free(heap_buffer);
    return exit_code; /* BP:main-exit */
}
