/*
 * churn ROUNDS: a program that keeps creating threads, for watching a process from outside (observe mode).
 * At start one "early" thread is created and waits. Each line read on stdin then starts a burst: the early thread
 * writes churn_target 1000 times, and ROUNDS rounds each create and join 4 new threads, thread i of round r writing
 * it (r * 4 + i + 1) * 100 times. Every thread prints its tid and its writes, so the counts a tool logs can be
 * checked exactly; the writes are relaxed atomic stores (exact whatever the interleaving). End of input ends it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

long churn_target = 0;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int bursts = 0;

static void write_times(const char *who, long times)
{
    for (long i = 0; i < times; i++)
        __atomic_store_n(&churn_target, i, __ATOMIC_RELAXED); /* BP:churn-write */
    printf("churn: %s tid %ld wrote %ld times\n", who, (long)syscall(SYS_gettid), times);
    fflush(stdout);
}

static void *early(void *unused)
{
    (void)unused;
    for (int seen = 0;; seen++) {
        pthread_mutex_lock(&lock);
        while (bursts == seen)
            pthread_cond_wait(&go, &lock);
        int stop = bursts < 0;
        pthread_mutex_unlock(&lock);
        if (stop)
            return NULL;
        write_times("early", 1000);
    }
}

static void *worker(void *arg)
{
    write_times("worker", (long)arg);
    return NULL;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    pthread_t first;
    pthread_create(&first, NULL, early, NULL);
    printf("churn: pid %d, %d rounds of 4 threads per line read\n", (int)getpid(), rounds);
    fflush(stdout);
    char line[16];
    while (fgets(line, sizeof(line), stdin)) {
        pthread_mutex_lock(&lock);
        bursts++;
        pthread_cond_signal(&go);
        pthread_mutex_unlock(&lock);
        for (int r = 0; r < rounds; r++) {
            pthread_t ids[4];
            for (long i = 0; i < 4; i++)
                pthread_create(&ids[i], NULL, worker, (void *)((r * 4 + i + 1) * 100));
            for (int i = 0; i < 4; i++)
                pthread_join(ids[i], NULL);
        }
        printf("churn: burst done\n");
        fflush(stdout);
    }
    pthread_mutex_lock(&lock);
    bursts = -1;
    pthread_cond_signal(&go);
    pthread_mutex_unlock(&lock);
    pthread_join(first, NULL);
    printf("churn: done\n");
    return 0;
}
