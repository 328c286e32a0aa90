/*
 * shared: worker threads update a struct that lives on main's stack and is shared by pointer, once main
 * opens the gate. For trying data breakpoints in the editor (and its end-to-end tests): the struct shows
 * in main's Variables view, and main prints the address of each field.
 * Usage: shared [workers (1-8, default 3)] [rounds (default 3)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct tally {
    long count;
    long last_writer;
    long checksum;
};

struct worker_arg {
    struct tally *tally;
    int index;
    int rounds;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t opened = PTHREAD_COND_INITIALIZER;
static int gate_open = 0;

static void *worker(void *p)
{
    struct worker_arg *arg = p;
    pthread_mutex_lock(&lock);
    while (!gate_open)
        pthread_cond_wait(&opened, &lock);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < arg->rounds; i++) {
        pthread_mutex_lock(&lock);
        arg->tally->count++; /* BP:shared-count */
        arg->tally->last_writer = arg->index;
        arg->tally->checksum += arg->index + 1;
        pthread_mutex_unlock(&lock);
        usleep(1000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int workers = argc > 1 ? atoi(argv[1]) : 3;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    if (workers < 1 || workers > 8)
        workers = 3;
    struct tally tally = {0, -1, 0};
    pthread_t ids[8];
    struct worker_arg args[8];
    for (int i = 0; i < workers; i++) {
        args[i] = (struct worker_arg){&tally, i, rounds};
        pthread_create(&ids[i], NULL, worker, &args[i]);
    }
    printf("shared: pid %d, %d workers, &tally.count %p, &tally.checksum %p\n", (int)getpid(), workers, (void *)&tally.count,
           (void *)&tally.checksum);
    fflush(stdout);
    pthread_mutex_lock(&lock);
    gate_open = 1; /* BP:shared-open */
    pthread_cond_broadcast(&opened);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < workers; i++)
        pthread_join(ids[i], NULL);
    printf("shared: count %ld, checksum %ld\n", tally.count, tally.checksum);
    return 0;
}
