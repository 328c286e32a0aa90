/*
 * Threads that sleep forever on a condition variable, with small stacks so thousands fit: the idle
 * threads of a server, which every debugger operation still has to deal with. And threads that spin.
 */
#include <pthread.h>

static pthread_mutex_t sleepers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sleepers_never = PTHREAD_COND_INITIALIZER;
static int sleepers_started = 0;

static void *sleeping_thread(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&sleepers_lock);
    sleepers_started++;
    pthread_cond_broadcast(&sleepers_never);
    for (;;)
        pthread_cond_wait(&sleepers_never, &sleepers_lock);
    return NULL;
}

/* A thread that never leaves the CPU: counts into the volatile long `counter` points at, as fast as it can. */
static inline void *spinning_thread(void *counter)
{
    volatile long *count = counter;
    for (;;)
        (*count)++;
    return NULL;
}

/* Thread attributes with 64 KB stacks, so that thousands of threads fit. */
static void small_stack_attr(pthread_attr_t *attr)
{
    pthread_attr_init(attr);
    pthread_attr_setstacksize(attr, 64 * 1024);
}

/* Starts `count` sleeping threads and returns once all of them exist; 0 or the pthread_create error. */
static int start_sleeping_threads(int count, pthread_attr_t *attr)
{
    for (int i = 0; i < count; i++) {
        pthread_t thread;
        int err = pthread_create(&thread, attr, sleeping_thread, NULL);
        if (err != 0)
            return err;
    }
    pthread_mutex_lock(&sleepers_lock);
    while (sleepers_started < count)
        pthread_cond_wait(&sleepers_never, &sleepers_lock);
    pthread_mutex_unlock(&sleepers_lock);
    return 0;
}
