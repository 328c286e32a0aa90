/*
 * sigwaiter: the "signal thread" pattern of multithreaded programs. Every thread blocks SIGINT and SIGTERM; one
 * thread takes them with sigwait() and shuts the program down. gdb's interrupt is a SIGINT to the process, which
 * this thread would take as the user's Ctrl-C: for the test that pausing such a program stops it and nothing more.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile int stopping;

static void *signal_thread(void *arg)
{
    int sig;
    sigwait((sigset_t *)arg, &sig);
    printf("sigwaiter: got signal %d, shutting down\n", sig);
    fflush(stdout);
    stopping = 1;
    return NULL;
}

static void *worker(void *arg)
{
    (void)arg;
    while (!stopping)
        usleep(1000);
    return NULL;
}

int main(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* inherited by both threads */
    pthread_t signals, work;
    pthread_create(&signals, NULL, signal_thread, &set);
    pthread_create(&work, NULL, worker, NULL);
    printf("sigwaiter: running\n");
    fflush(stdout);
    pthread_join(work, NULL);
    pthread_join(signals, NULL);
    printf("sigwaiter: done\n");
    return 0;
}
