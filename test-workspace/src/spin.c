/*
 * spin: runs until told to stop, for pause, attach and detach tests. A worker thread and the main
 * thread both keep incrementing counters; the program exits by itself after a deadline so that a
 * failed test never leaves it running forever.
 * Usage: spin [seconds (default 60)]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

volatile long main_ticks = 0;
volatile long worker_ticks = 0;

static void *worker(void *unused)
{
    (void)unused;
    for (;;) {
        worker_ticks++; /* BP:spin-worker */
        usleep(1000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : 60;
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    printf("spin: pid %d\n", (int)getpid());
    fflush(stdout);
    time_t deadline = time(NULL) + seconds;
    while (time(NULL) < deadline) {
        main_ticks++; /* BP:spin-main */
        usleep(1000);
    }
    return 0;
}
