#!/bin/sh
# Captures vmscan (and sched_switch, for volume) events of a reclaim storm in a tracefs instance of its own, as
# lab's binary capture does: each CPU's trace_pipe_raw read page by page into OUT/raw/cpuN, with the metadata
# decoding needs. BUFFER_KB sets the ring buffer per CPU (small: the kernel overwrites, and pages report lost
# events). Run as root inside `unshare -m` (tracefs is mounted privately; the instance and the memory cgroup
# are the kernel's, so both are removed on every exit). Usage: capture-raw.sh OUT
set -eu
OUT=$1
NAME=lab-dec-test-$$
T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs nodev $T
I=$T/instances/$NAME
if [ -d /sys/fs/cgroup/memory ]; then CG=/sys/fs/cgroup/memory/$NAME; else CG=/sys/fs/cgroup/$NAME; fi
FILE=/var/tmp/$NAME.fill
cleanup() {
    [ -d $I ] && { echo 0 > $I/tracing_on; rmdir $I; }
    rm -f $FILE
    if [ -d $CG ]; then
        while read -r p; do echo $p > $(dirname $CG)/cgroup.procs 2>/dev/null || true; done < $CG/cgroup.procs
        rmdir $CG
    fi
}
trap cleanup EXIT INT TERM
mkdir $I
echo 0 > $I/tracing_on
echo ${BUFFER_KB:-1024} > $I/buffer_size_kb
echo 1 > $I/events/vmscan/enable
echo 1 > $I/events/sched/sched_switch/enable
mkdir $CG
if [ -f $CG/memory.limit_in_bytes ]; then echo 32M > $CG/memory.limit_in_bytes; else echo 32M > $CG/memory.max; fi
echo 1 > $I/tracing_on
# writing 200 MB through 32 MB reclaims dirty pages; the memcg may kill the writer when writeback lags behind
sh -c "echo \$\$ > $CG/cgroup.procs; exec dd if=/dev/zero of=$FILE bs=1M count=200 status=none" || true
sync $FILE
# drop the file's cached pages (not the machine's), then read it back through 32 MB: clean pages, no OOM
dd if=/dev/null of=$FILE oflag=nocache conv=notrunc,fdatasync count=0 status=none
sh -c "echo \$\$ > $CG/cgroup.procs; exec cat $FILE" > /dev/null
echo 0 > $I/tracing_on
mkdir -p $OUT/raw $OUT/formats
PAGE=$(awk -F'[:;]' '/field: char data/ { for (i = 1; i < NF; i++) { if ($i ~ /offset/) o = $(i+1); if ($i ~ /size/) s = $(i+1) } } END { print o + s }' $T/events/header_page)
for d in $I/per_cpu/cpu*; do
    n=${d##*/cpu}
    # one page per read; a drained buffer gives EOF (6.18) or EAGAIN (older kernels, with nonblock)
    dd if=$d/trace_pipe_raw of=$OUT/raw/cpu$n bs=$PAGE iflag=nonblock status=none 2>/dev/null || true
done
cp $T/events/header_page $T/events/header_event $OUT/raw/
cp $I/trace_clock $OUT/raw/trace_clock
cat /proc/kallsyms > $OUT/raw/kallsyms
cp $T/saved_cmdlines $OUT/raw/saved_cmdlines
echo little > $OUT/raw/byte_order
for e in $T/events/vmscan/* $T/events/sched/sched_switch; do
    [ -f $e/format ] || continue
    s=$(basename $(dirname $e)); mkdir -p $OUT/formats/$s; cp $e/format $OUT/formats/$s/$(basename $e).format
done
for d in $I/per_cpu/cpu*; do echo "${d##*/} $(tr '\n' ' ' < $d/stats)"; done > $OUT/raw/stats
