#!/bin/sh
# The guest's boot script: busybox init runs it once (sysinit) before it starts the SSH server.
# It mounts what a Debian arm64 server has mounted, loads the kernel modules lab picked (in dependency
# order), brings up QEMU's user-mode network and mounts the ext4 data disk at /data, where lab's work
# directory lives (the root file system is in memory, and its pages cannot be reclaimed without swap).
# Problems are printed as "lab-vm: FAILED: ..." on the serial console, which `lab vm up` watches.
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

lab_failed() { echo "lab-vm: FAILED: $*"; }

# wait_for PATH SECONDS: device nodes and interfaces appear when their driver has probed.
wait_for() {
    n=0
    while [ ! -e "$1" ] && [ "$n" -lt $(($2 * 10)) ]; do sleep 0.1; n=$((n + 1)); done
    [ -e "$1" ]
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
# cgroup v2 with the options systemd uses on Debian 12, so memory protection behaves as on a real server.
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup 2>/dev/null \
    || mount -t cgroup2 cgroup2 /sys/fs/cgroup || lab_failed "cannot mount cgroup2"
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

while read -r module; do
    # efivarfs refuses to load without UEFI firmware (a kernel QEMU started itself has none)
    if [ "$module" = efivarfs ] && [ ! -d /sys/firmware/efi ]; then continue; fi
    insmod "/lib/modules/lab/$module.ko" || lab_failed "insmod $module"
done < /lib/modules/lab/order

hostname -F /etc/hostname
ip link set lo up
# QEMU's user-mode network: the guest is 10.0.2.15, QEMU's gateway 10.0.2.2 (restricted: no way out).
if wait_for /sys/class/net/eth0 10; then
    ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 && ip route add default via 10.0.2.2 \
        || lab_failed "cannot configure eth0"
else
    lab_failed "no network interface eth0 (virtio_net)"
fi

if wait_for /dev/vda 20; then
    mount -t ext4 -o discard /dev/vda /data || lab_failed "cannot mount the data disk /dev/vda at /data"
else
    lab_failed "no data disk /dev/vda (virtio_blk)"
fi

# A VM that boots through UEFI firmware has a system disk (the second): its boot partition is /boot, as on a
# server, where boot control installs kernels and grub-reboot finds grubenv, and its EFI system partition is
# /boot/efi, where the efi boot method puts the kernels the firmware starts. The firmware's variables (boot
# entries, BootNext) are in efivarfs.
if [ -d /sys/firmware/efi ]; then
    wait_for /dev/vdb2 20 || lab_failed "no boot partition /dev/vdb2 (the firmware booted this kernel from it)"
    mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
fi
if [ -e /dev/vdb2 ]; then
    mkdir -p /boot && mount -t ext4 /dev/vdb2 /boot || lab_failed "cannot mount the boot partition /dev/vdb2"
    if [ -e /dev/vdb1 ] && grep -qw vfat /proc/filesystems; then
        mkdir -p /boot/efi && mount -t vfat -o umask=0077 /dev/vdb1 /boot/efi \
            || lab_failed "cannot mount the EFI system partition /dev/vdb1"
    fi
fi

read -r up idle < /proc/uptime
echo "lab-vm: booted $(uname -r) in ${up}s; starting the SSH server"
