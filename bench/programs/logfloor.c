/*
 * logfloor PID ADDRESS [all]: the kernel floor for data logpoints, as little as a tool can do to log every write of
 * 8 bytes at ADDRESS in process PID: the same events pwatch's log engine opens (a hardware write breakpoint per
 * CPU on PID's main thread, inherited by the threads it creates, one sample per access with id, pc, tid and
 * CLOCK_MONOTONIC time, no signal), each CPU's samples in its own ring, drained with poll() until the process
 * is gone. No symbols, no values, no protocol. Prints "logfloor: N samples, L lost" at the end.
 * Start it before the process creates the threads to log (the bench runs logstorm with "wait"). With "all", every
 * thread PID has now gets its own events (as pwatch opens them on an attached process's threads), each CPU's sent
 * to that CPU's ring (PERF_EVENT_IOC_SET_OUTPUT).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 256
#define RING_PAGES 64 /* 256 KiB of data per CPU, as pwatch's largest ring */

struct ring {
    int fd;
    uint8_t *base;
    size_t size;
};

static unsigned long long samples, lost;

static void drain(struct ring *r)
{
    struct perf_event_mmap_page *control = (struct perf_event_mmap_page *)r->base;
    uint8_t *data = r->base + control->data_offset;
    uint64_t size = control->data_size;
    uint64_t head = __atomic_load_n(&control->data_head, __ATOMIC_ACQUIRE);
    uint64_t tail = control->data_tail;
    while (tail < head) {
        struct perf_event_header header;
        for (size_t i = 0; i < sizeof(header); i++)
            ((uint8_t *)&header)[i] = data[(tail + i) & (size - 1)];
        if (header.size < sizeof(header))
            break;
        if (header.type == PERF_RECORD_SAMPLE) {
            samples++;
        } else if (header.type == PERF_RECORD_LOST) {
            uint64_t body[2];
            for (size_t i = 0; i < sizeof(body); i++)
                ((uint8_t *)body)[i] = data[(tail + sizeof(header) + i) & (size - 1)];
            lost += body[1];
        }
        tail += header.size;
    }
    __atomic_store_n(&control->data_tail, tail, __ATOMIC_RELEASE);
}

static int open_event(pid_t tid, int cpu, uint64_t address, size_t page)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof(attr));
    attr.type = PERF_TYPE_BREAKPOINT;
    attr.size = sizeof(attr);
    attr.bp_type = HW_BREAKPOINT_W;
    attr.bp_addr = address;
    attr.bp_len = HW_BREAKPOINT_LEN_8;
    attr.sample_period = 1;
    attr.sample_type = PERF_SAMPLE_IDENTIFIER | PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME;
    attr.inherit = 1;
    attr.inherit_thread = 1;
    attr.remove_on_exec = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.use_clockid = 1;
    attr.clockid = CLOCK_MONOTONIC;
    attr.watermark = 1;
    attr.wakeup_watermark = (uint32_t)(RING_PAGES * page / 4);
    return (int)syscall(SYS_perf_event_open, &attr, tid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

int main(int argc, char **argv)
{
    if (argc != 3 && !(argc == 4 && strcmp(argv[3], "all") == 0)) {
        fprintf(stderr, "usage: logfloor PID ADDRESS [all]\n");
        return 2;
    }
    pid_t pid = atoi(argv[1]);
    uint64_t address = strtoull(argv[2], NULL, 0);
    int cpus = (int)sysconf(_SC_NPROCESSORS_CONF);
    if (cpus > MAX_CPUS)
        cpus = MAX_CPUS;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    struct ring rings[MAX_CPUS];
    struct pollfd polls[MAX_CPUS];
    for (int cpu = 0; cpu < cpus; cpu++) {
        int fd = open_event(pid, cpu, address, page);
        if (fd < 0) {
            fprintf(stderr, "logfloor: perf_event_open on cpu %d: %s\n", cpu, strerror(errno));
            return 1;
        }
        size_t size = (RING_PAGES + 1) * page;
        void *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) {
            fprintf(stderr, "logfloor: mmap on cpu %d: %s\n", cpu, strerror(errno));
            return 1;
        }
        rings[cpu] = (struct ring){fd, base, size};
        polls[cpu] = (struct pollfd){fd, POLLIN, 0};
    }
    int threads = 1;
    if (argc == 4) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
        DIR *tasks = opendir(path);
        for (struct dirent *entry; tasks && (entry = readdir(tasks));) {
            pid_t tid = atoi(entry->d_name);
            if (tid <= 0 || tid == pid)
                continue;
            for (int cpu = 0; cpu < cpus; cpu++) {
                int fd = open_event(tid, cpu, address, page);
                if (fd < 0 || ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, rings[cpu].fd) != 0) {
                    fprintf(stderr, "logfloor: thread %d cpu %d: %s\n", (int)tid, cpu, strerror(errno));
                    return 1;
                }
            }
            threads++;
        }
        if (tasks)
            closedir(tasks);
    }
    printf("logfloor: armed on %d cpus, %d threads\n", cpus, threads);
    fflush(stdout);
    /* Until the process is gone (a zombie counts as gone: its threads write nothing more). */
    for (;;) {
        poll(polls, (nfds_t)cpus, 10);
        for (int cpu = 0; cpu < cpus; cpu++)
            drain(&rings[cpu]);
        char path[64], state = 0;
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        FILE *stat = fopen(path, "r");
        if (!stat || fscanf(stat, "%*d (%*[^)]) %c", &state) != 1 || state == 'Z' || state == 'X') {
            if (stat)
                fclose(stat);
            break;
        }
        fclose(stat);
    }
    for (int cpu = 0; cpu < cpus; cpu++) {
        drain(&rings[cpu]);
        munmap(rings[cpu].base, rings[cpu].size);
        close(rings[cpu].fd);
    }
    printf("logfloor: %llu samples, %llu lost\n", samples, lost);
    return 0;
}
