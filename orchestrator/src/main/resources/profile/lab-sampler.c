/*
 * lab-sampler: where the CPUs of a host go, as sampled call stacks of the kernel.
 *
 * One cpu-clock software event per CPU (a high-resolution timer: it needs no PMU, so it works in guests under
 * emulation too), sampling every task at HZ with the kernel's call chain. Samples taken while a CPU ran user code
 * are kept without a chain, so the shares lab computes have every sampled moment as their denominator (idle, user
 * and system). Nothing is symbolised here: addresses are printed and lab names them on the orchestrator from the
 * same boot's /proc/kallsyms.
 *
 *   lab-sampler HZ [SECONDS]     root; runs until SECONDS pass (0 or none: until SIGTERM or SIGINT)
 *
 * Output (stdout), one line per record:
 *   # lab-sampler 1 hz=HZ cpus=N                       first line: format version and what was asked
 *   S CPU PID TID TIME_NS k IP,IP,...  COMM            a sample in the kernel, leaf first, no context markers
 *                                                      (PID and TID are -1 for a task the kernel is tearing down)
 *   S CPU PID TID TIME_NS u -  COMM                    a sample in user mode
 *   L CPU COUNT                                        the kernel dropped COUNT samples (our ring was full)
 *   # end samples=S lost=L                             last line: written only when the sampler ended well
 * COMM (the task's name from /proc, or "-" once the task is gone) comes last because it may hold spaces.
 *
 * Exit status: 0 done, 1 the kernel refused (the message names the call and errno), 2 bad arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

#define RING_PAGES 64          /* data pages per CPU, a power of two; ~2 s of deep stacks at 1 kHz */
#define MAX_CPUS 512
#define COMM_SLOTS 4096        /* task names cached by tid; a collision just reads /proc again */

struct ring {
    int fd;
    int cpu;
    struct perf_event_mmap_page *meta;
    char *data;
    uint64_t size;
};

struct comm_slot {
    uint32_t tid;
    uint64_t since;            /* the kernel time the name is known to hold from */
    char name[24];
};

static struct ring rings[MAX_CPUS];
static int ring_count;
static struct comm_slot comms[COMM_SLOTS];
static unsigned long long samples, lost;
static volatile sig_atomic_t stop;

static void on_signal(int sig) {
    (void)sig;
    stop = 1;
}

static int open_cpu(int cpu, long hz) {
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_SOFTWARE;
    a.config = PERF_COUNT_SW_CPU_CLOCK;
    a.sample_period = 1000000000ULL / (unsigned long long)hz;   /* cpu-clock counts nanoseconds */
    a.sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_CPU | PERF_SAMPLE_CALLCHAIN;
    a.disabled = 1;                  /* every CPU is enabled together, after all are mapped */
    a.exclude_hv = 1;
    a.exclude_callchain_user = 1;    /* user stacks are not ours to walk: a user sample keeps no chain */
    a.comm = 1;                      /* the kernel says when a task execs or renames itself: names stay current */
    a.comm_exec = 1;
    a.sample_id_all = 1;             /* a comm record carries its time: the rings are drained one after another,
                                        so an exec on one CPU can be read after a later one on another */
    a.watermark = 1;
    a.wakeup_watermark = RING_PAGES * 4096 / 4;
    return (int)syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A task's new name, from a PERF_RECORD_COMM (an exec or a rename) at kernel time `when`; older news is dropped. */
static void comm_changed(uint32_t tid, const char *name, size_t room, uint64_t when) {
    struct comm_slot *slot = &comms[tid % COMM_SLOTS];
    if (slot->tid == tid && when < slot->since) {
        return;
    }
    size_t n = strnlen(name, room < sizeof slot->name ? room : sizeof slot->name - 1);
    memcpy(slot->name, name, n);
    slot->name[n] = 0;
    for (size_t i = 0; i < n; i++) {
        if (slot->name[i] < ' ') {
            slot->name[i] = '?';
        }
    }
    if (n == 0) {
        strcpy(slot->name, "?");     /* a task may name itself "": the line still needs a name */
    }
    slot->tid = tid;
    slot->since = when;
}

/* The name of a task, from /proc while it lives (then kept current by comm records); "-" after it is gone. */
static const char *comm_of(uint32_t pid, uint32_t tid, uint64_t when) {
    if (tid == 0) {
        return "swapper";            /* the idle task of every CPU */
    }
    if (tid == UINT32_MAX) {         /* a thread in exit: its process may still be named */
        if (pid == UINT32_MAX) {
            return "-";
        }
        tid = pid;
    }
    struct comm_slot *slot = &comms[tid % COMM_SLOTS];
    if (slot->tid == tid && slot->name[0]) {
        return slot->name;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%u/task/%u/comm", pid, tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, slot->name, sizeof slot->name - 1);
    if (fd >= 0) {
        close(fd);
    }
    if (n <= 0) {
        return "-";
    }
    slot->name[n] = 0;
    slot->since = when;        /* read after the sample at `when`: no older comm record can be newer news */
    for (ssize_t i = 0; i < n; i++) {
        if (slot->name[i] == '\n' || slot->name[i] < ' ') {
            slot->name[i] = i + 1 == n ? 0 : '?';
        }
    }
    if (!slot->name[0]) {
        strcpy(slot->name, "?");     /* a task may name itself "": the line still needs a name */
    }
    slot->tid = tid;
    return slot->name;
}

/* Copies len bytes from the ring at the free-running offset off, which may wrap past the end of the data area. */
static void ring_copy(const struct ring *r, uint64_t off, void *to, size_t len) {
    uint64_t at = off & (r->size - 1);
    size_t first = len < r->size - at ? len : (size_t)(r->size - at);
    memcpy(to, r->data + at, first);
    memcpy((char *)to + first, r->data, len - first);
}

static void print_sample(const struct perf_event_header *h, const uint64_t *p, const char *end) {
    /* fields in the order of their sample_type bits: IP, TID, TIME, CPU, CALLCHAIN */
    if ((const char *)(p + 5) > end) {
        return;
    }
    uint64_t ip = p[0];
    uint32_t pid = (uint32_t)p[1];
    uint32_t tid = (uint32_t)(p[1] >> 32);
    unsigned long long time = (unsigned long long)p[2];
    uint32_t cpu = (uint32_t)p[3];
    uint64_t nr = p[4];
    const uint64_t *chain = p + 5;
    if (nr > 4096 || (const char *)(chain + nr) > end) {
        return;
    }
    int user = (h->misc & PERF_RECORD_MISC_CPUMODE_MASK) == PERF_RECORD_MISC_USER;
    /* an exiting task has no pid any more: the kernel says (u32)-1, printed as -1 */
    printf("S %u %d %d %llu %c ", cpu, (int32_t)pid, (int32_t)tid, time, user ? 'u' : 'k');
    if (user) {
        putchar('-');
    } else {
        int written = 0;
        for (uint64_t i = 0; i < nr; i++) {
            if (chain[i] >= (uint64_t)PERF_CONTEXT_MAX) {
                continue;            /* PERF_CONTEXT_KERNEL and its kin mark where a context starts */
            }
            printf(written++ ? ",%llx" : "%llx", (unsigned long long)chain[i]);
        }
        if (!written) {
            printf("%llx", (unsigned long long)ip);
        }
    }
    printf(" %s\n", comm_of(pid, tid, time));
    samples++;
}

static void drain(struct ring *r) {
    static uint64_t record[65536 / 8];  /* a record's size is a u16 */
    uint64_t head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
    uint64_t tail = r->meta->data_tail;
    while (tail < head) {
        struct perf_event_header h;
        ring_copy(r, tail, &h, sizeof h);
        if (h.size < sizeof h || h.size > head - tail) {
            break;
        }
        ring_copy(r, tail, record, h.size);
        const uint64_t *body = (const uint64_t *)((const char *)record + sizeof h);
        if (h.type == PERF_RECORD_SAMPLE) {
            print_sample(&h, body, (const char *)record + h.size);
        } else if (h.type == PERF_RECORD_LOST && h.size >= sizeof h + 16) {
            printf("L %d %llu\n", r->cpu, (unsigned long long)body[1]);    /* body: id, lost */
            lost += body[1];
        } else if (h.type == PERF_RECORD_COMM && h.size >= sizeof h + 8 + 8 + 24) {
            /* pid, tid, the name (padded to 8 bytes), then sample_id: pid, tid, time, cpu */
            const uint32_t *ids = (const uint32_t *)body;
            const char *end = (const char *)record + h.size;
            uint64_t when;
            memcpy(&when, end - 16, sizeof when);
            comm_changed(ids[1], (const char *)(ids + 2), (size_t)(end - 24 - (const char *)(ids + 2)), when);
        }
        tail += h.size;
    }
    __atomic_store_n(&r->meta->data_tail, tail, __ATOMIC_RELEASE);
}

static double seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: lab-sampler HZ [SECONDS]\n");
        return 2;
    }
    char *rest;
    long hz = strtol(argv[1], &rest, 10);
    if (*rest || hz < 1 || hz > 10000) {
        fprintf(stderr, "lab-sampler: HZ must be 1 to 10000, not '%s'\n", argv[1]);
        return 2;
    }
    double seconds = argc == 3 ? strtod(argv[2], &rest) : 0;
    if (argc == 3 && (*rest || seconds < 0)) {
        fprintf(stderr, "lab-sampler: SECONDS must be a number >= 0, not '%s'\n", argv[2]);
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;       /* no SA_RESTART: poll returns at once */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    long cpus = sysconf(_SC_NPROCESSORS_CONF);
    long page = sysconf(_SC_PAGESIZE);
    for (int cpu = 0; cpu < cpus && cpu < MAX_CPUS; cpu++) {
        int fd = open_cpu(cpu, hz);
        if (fd < 0) {
            if (errno == ENODEV) {
                continue;            /* an offline CPU */
            }
            fprintf(stderr, "lab-sampler: perf_event_open(cpu-clock, cpu %d): %s\n", cpu, strerror(errno));
            return 1;
        }
        size_t length = (size_t)(1 + RING_PAGES) * (size_t)page;
        void *m = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) {
            fprintf(stderr, "lab-sampler: mmap of cpu %d's ring: %s\n", cpu, strerror(errno));
            return 1;
        }
        struct ring *r = &rings[ring_count++];
        r->fd = fd;
        r->cpu = cpu;
        r->meta = m;
        r->data = (char *)m + page;
        r->size = (uint64_t)RING_PAGES * (uint64_t)page;
        if (r->meta->data_offset) {  /* Linux 4.1+ says where the data area is */
            r->data = (char *)m + r->meta->data_offset;
            r->size = r->meta->data_size;
        }
    }
    if (ring_count == 0) {
        fprintf(stderr, "lab-sampler: no CPU could be opened\n");
        return 1;
    }
    printf("# lab-sampler 1 hz=%ld cpus=%d\n", hz, ring_count);
    fflush(stdout);                  /* the header says the events are open: lab waits for it before the workloads */
    for (int i = 0; i < ring_count; i++) {
        ioctl(rings[i].fd, PERF_EVENT_IOC_ENABLE, 0);
    }
    struct pollfd fds[MAX_CPUS];
    for (int i = 0; i < ring_count; i++) {
        fds[i].fd = rings[i].fd;
        fds[i].events = POLLIN;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!stop) {
        double left = seconds > 0 ? seconds - seconds_since(&t0) : 1;
        if (left <= 0) {
            break;
        }
        poll(fds, (nfds_t)ring_count, left < 0.2 ? (int)(left * 1000) + 1 : 200);
        for (int i = 0; i < ring_count; i++) {
            drain(&rings[i]);
        }
    }
    for (int i = 0; i < ring_count; i++) {
        ioctl(rings[i].fd, PERF_EVENT_IOC_DISABLE, 0);
    }
    for (int i = 0; i < ring_count; i++) {
        drain(&rings[i]);            /* what came in before the events stopped */
    }
    printf("# end samples=%llu lost=%llu\n", samples, lost);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "lab-sampler: writing the samples: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
