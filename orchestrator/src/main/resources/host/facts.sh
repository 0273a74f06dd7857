# shellcheck shell=sh
# Gathers what lab needs to know about a test host. Read-only: changes nothing on the host.
# Prints one "key=value" per line; repeated keys (mount, swap, event, command) form lists.
# Arguments: the trace systems whose events should be listed (e.g. vmscan).
echo "hostname=$(cat /proc/sys/kernel/hostname 2>/dev/null)"
echo "uid=$(id -u 2>/dev/null)"
echo "kernel_release=$(uname -r)"
echo "machine=$(uname -m)"
echo "cmdline=$(cat /proc/cmdline 2>/dev/null)"
echo "boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)"
echo "kernel_panic=$(cat /proc/sys/kernel/panic 2>/dev/null)"
echo "cpus_online=$(cat /sys/devices/system/cpu/online 2>/dev/null)"
while read -r key value _; do
    case $key in MemTotal:) echo "mem_total_kb=$value" ;; SwapTotal:) echo "swap_total_kb=$value" ;; esac
done < /proc/meminfo
while read -r _ dir type opts _; do
    case $type in cgroup|cgroup2|tracefs|debugfs) echo "mount=$type $dir $opts" ;; esac
    [ "$type" = cgroup2 ] && echo "cgroup2_controllers=$dir $(tr ' ' ',' 2>/dev/null < "$dir/cgroup.controllers")" \
        && echo "cgroup2_subtree_control=$dir $(tr ' ' ',' 2>/dev/null < "$dir/cgroup.subtree_control")"
done < /proc/mounts
while read -r name _ num enabled; do
    [ "$name" = memory ] && echo "memcg_count=$num" && echo "memcg_enabled=$enabled"
done < /proc/cgroups 2>/dev/null
grep -q 'tracefs$' /proc/filesystems 2>/dev/null && echo "tracefs_supported=1"
for dir in /sys/kernel/tracing /sys/kernel/debug/tracing; do
    if [ -d "$dir/events" ]; then
        echo "tracefs=$dir"
        for sys in "$@"; do
            for ev in "$dir/events/$sys"/*/; do
                [ -f "$ev/format" ] && ev=${ev%/} && echo "event=$sys:${ev##*/}"
            done
        done
        break
    fi
done
[ -r /proc/pressure/memory ] && echo "psi=1"
tail -n +2 /proc/swaps 2>/dev/null | while read -r name type size used prio; do echo "swap=$name $type $size $used $prio"; done
# What kernel modules need: a build tree for this kernel, kernel text readable through /proc/kcore (patch plans
# read the instructions they replace), real addresses in /proc/kallsyms, and the kernel log for module messages.
[ -f "/lib/modules/$(uname -r)/build/Makefile" ] && echo "kernel_access=kbuild"
[ -r /proc/kcore ] && echo "kernel_access=kcore"
read -r addr _ 2>/dev/null < /proc/kallsyms && case $addr in *[1-9a-f]*) echo "kernel_access=kallsyms" ;; esac
[ -w /dev/kmsg ] && echo "kernel_access=kmsg"
# perf, where it runs for this kernel (Debian's perf is a wrapper that refuses kernels it has no perf_X.Y for)
perf version > /dev/null 2>&1 && echo "command=perf"
for cmd in dd mkswap swapon swapoff setsid timeout sha256sum md5sum mount umount sync mkdir rmdir stat insmod rmmod dmesg make gcc od; do
    command -v "$cmd" > /dev/null 2>&1 && echo "command=$cmd"
done
echo "shell=$(readlink /bin/sh 2>/dev/null || echo /bin/sh)"
