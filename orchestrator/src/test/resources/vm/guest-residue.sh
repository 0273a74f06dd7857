# What lab may leave behind in a guest, one line each; prints nothing when the guest is clean.
# POSIX sh for busybox: journals, lab cgroups and their memory delegation, tracefs instances, the work directory,
# staged long commands, swap, kernel modules, and the trace drainers, monitor samplers and watchdogs lab starts.
[ -d /run/lab ] && echo "journal directory /run/lab: $(ls /run/lab | tr '\n' ' ')"
for d in /sys/fs/cgroup/lab-*; do [ -e "$d" ] && echo "cgroup $d"; done
for d in /sys/kernel/tracing/instances/lab-*; do [ -e "$d" ] && echo "tracefs instance $d"; done
[ -e /data/lab ] && echo "work directory /data/lab: $(ls /data/lab | tr '\n' ' ')"
for f in /tmp/lab-exec-*; do [ -e "$f" ] && echo "staged command $f"; done
tail -n +2 /proc/swaps | while read -r name rest; do echo "swap $name"; done
for m in /sys/module/lab_*; do [ -e "$m" ] && echo "kernel module ${m##*/} still loaded"; done
grep -qw memory /sys/fs/cgroup/cgroup.subtree_control && echo "memory controller still delegated at /sys/fs/cgroup"
# The names are put together at run time so this script's own command line does not match them.
drainer=trace_; drainer=${drainer}pipe; sampler=lab_; sampler=${sampler}monitor; watchdog=lab_; watchdog=${watchdog}watchdog
for p in /proc/[0-9]*; do
    c=$(tr '\000' ' ' < "$p/cmdline" 2>/dev/null) || continue
    case $c in *"$drainer"*|*"$sampler"*|*"$watchdog"*) echo "process ${p#/proc/}: $c" ;; esac
done
true
