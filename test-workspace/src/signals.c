/*
 * signals: a worker thread raises SIGUSR1 three times at itself; the handler counts them. Prints how many it
 * handled, so the tests of the `signals` setting can tell a passed signal from an ignored one.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

static volatile sig_atomic_t handled;

static void on_usr1(int signo)
{
    (void)signo;
    handled++;
}

static void *raiser(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++)
        pthread_kill(pthread_self(), SIGUSR1);
    return NULL;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    pthread_t thread;
    pthread_create(&thread, NULL, raiser, NULL);
    pthread_join(thread, NULL);
    printf("signals: handled %d\n", (int)handled); /* BP:signals-done */
    return 0;
}
