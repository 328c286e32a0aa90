/*
 * hog: some threads take every debug register they have (four perf hardware breakpoint events each, on
 * themselves), others take none. A debugger that attaches cannot watch memory in the hog threads: pwatch
 * must name exactly those as missed. Prints "hog: pid P hogs T1 T2 ..." once all threads are set up.
 * Usage: hog [hog-threads (default 2)] [plain-threads (default 2)] [seconds (default 60)]
 */
#define _GNU_SOURCE
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

volatile long hog_counter = 0;
static volatile long targets[4];
static pthread_barrier_t ready;
static int hog_tids[64];

static void *hog(void *arg)
{
    long index = (long)arg;
    hog_tids[index] = (int)syscall(SYS_gettid);
    for (int i = 0; i < 4; i++) {
        struct perf_event_attr attr;
        memset(&attr, 0, sizeof(attr));
        attr.type = PERF_TYPE_BREAKPOINT;
        attr.size = sizeof(attr);
        attr.bp_type = HW_BREAKPOINT_W;
        attr.bp_addr = (unsigned long)&targets[i];
        attr.bp_len = HW_BREAKPOINT_LEN_8;
        attr.disabled = 1;
        attr.exclude_kernel = 1;
        if (syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0) < 0)
            perror("hog: perf_event_open");
    }
    pthread_barrier_wait(&ready);
    for (;;) {
        hog_counter++;
        usleep(1000);
    }
    return NULL;
}

static void *plain(void *unused)
{
    (void)unused;
    pthread_barrier_wait(&ready);
    for (;;) {
        hog_counter++;
        usleep(1000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int hogs = argc > 1 ? atoi(argv[1]) : 2;
    int plains = argc > 2 ? atoi(argv[2]) : 2;
    int seconds = argc > 3 ? atoi(argv[3]) : 60;
    if (hogs < 0 || hogs > 64)
        hogs = 2;
    pthread_barrier_init(&ready, NULL, (unsigned)(hogs + plains + 1));
    pthread_t thread;
    for (long i = 0; i < hogs; i++)
        pthread_create(&thread, NULL, hog, (void *)i);
    for (int i = 0; i < plains; i++)
        pthread_create(&thread, NULL, plain, NULL);
    pthread_barrier_wait(&ready);
    printf("hog: pid %d hogs", (int)getpid());
    for (int i = 0; i < hogs; i++)
        printf(" %d", hog_tids[i]);
    printf("\n");
    fflush(stdout);
    time_t deadline = time(NULL) + seconds;
    while (time(NULL) < deadline)
        sleep(1);
    return 0;
}
