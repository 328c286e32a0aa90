/*
 * family: forks a child that runs a worker thread and exits 7; the parent waits for it and exits 0. For the
 * tests of what happens at fork (followFork, detachOnFork).
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

long family_value = 0;

static void *child_worker(void *arg)
{
    (void)arg;
    family_value = 20; /* BP:family-child-worker */
    return NULL;
}

int main(void)
{
    family_value = 1;
    printf("family: parent %d\n", (int)getpid());
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        pthread_t worker;
        pthread_create(&worker, NULL, child_worker, NULL);
        pthread_join(worker, NULL);
        printf("family: child %d\n", (int)getpid()); /* BP:family-child */
        fflush(stdout);
        _exit(7);
    }
    int status = 0;
    waitpid(child, &status, 0);
    family_value = 3;
    printf("family: child exited %d\n", WEXITSTATUS(status)); /* BP:family-parent */
    fflush(stdout);
    return 0;
}
