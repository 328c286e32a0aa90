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

long hit_target = 0;
volatile long last_write_ns = 0;
volatile long progress = 0;
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

static void *counter(void *unused)
{
    (void)unused;
    for (;;)
        progress++;
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    long writes = argc > 2 ? atol(argv[2]) : 1000;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    pthread_t thread;
    for (int i = 0; i < threads; i++)
        pthread_create(&thread, &attr, sleeper, NULL);
    pthread_mutex_lock(&lock);
    while (started < threads)
        pthread_cond_wait(&never, &lock);
    pthread_mutex_unlock(&lock);
    pthread_create(&thread, &attr, counter, NULL);
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
