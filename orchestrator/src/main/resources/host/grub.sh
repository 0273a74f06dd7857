#!/bin/sh
# Boot control through GRUB, on the host: lab adds a menu entry to GRUB's custom.cfg (which update-grub's
# 41_custom makes grub.cfg read last), asks grub-reboot to boot it once (GRUB clears next_entry before it boots
# it, so a candidate that never comes back is not booted again after a power cycle) and reboots. The host's
# default entry is never changed.
#
# Every change is journaled before it is made in STATE/journal, on the host's persistent storage (the run journal
# in /run is gone after a reboot), one change per line, replayed backwards by lab_grub_undo:
#   created FILE          lab made FILE: removed if lab's entries were all it held
#   installed FILE        lab installed FILE (a kernel, an initrd): removed
#   block FILE ID         lab's entry ID in FILE, between "### reclaim-lab ID begin" and "... end"
#   next_entry DIR ID     grub-reboot ID: unset again if GRUB has not booted (and cleared) it yet
#   kexec_loaded - -      kexec -l: the kernel loaded for kexec is unloaded again
# STATE/target says what lab booted once (key=value), for lab boot --default and lab cleanup.
# Paths here are never blank or quoted: lab checks them before it calls these functions.

# lab_grub_probe RELEASE: what boot control needs to know about the host and an installed RELEASE, as key=value.
lab_grub_probe() {
    grubdir=
    for d in /boot/grub /boot/grub2; do
        if [ -f "$d/grub.cfg" ]; then grubdir=$d; break; fi
    done
    echo "grubdir=$grubdir"
    for t in grub-reboot grub2-reboot; do
        if command -v "$t" >/dev/null 2>&1; then echo "reboot_tool=$t"; break; fi
    done
    for t in grub-editenv grub2-editenv; do
        if command -v "$t" >/dev/null 2>&1; then echo "editenv=$t"; break; fi
    done
    echo "kexec=$(command -v kexec 2>/dev/null)"
    if [ -n "$grubdir" ]; then
        if grep -q 'next_entry' "$grubdir/grub.cfg"; then echo "one_time=yes"; fi
        if grep -q 'custom\.cfg' "$grubdir/grub.cfg"; then echo "custom=yes"; fi
    fi
    # GRUB names files by their path on the file system that holds them: /boot's own, or the root's.
    if awk '$2 == "/boot" { found = 1 } END { exit !found }' /proc/mounts; then
        mountpoint=/boot
        echo "boot_prefix="
    else
        mountpoint=/
        echo "boot_prefix=/boot"
    fi
    device=$(awk -v mp="$mountpoint" '$2 == mp { d = $1 } END { print d }' /proc/mounts)
    echo "boot_fs=$(awk -v mp="$mountpoint" '$2 == mp { t = $3 } END { print t }' /proc/mounts)"
    # util-linux and busybox blkid both print NAME: ... UUID="..." ...
    echo "boot_uuid=$(blkid "$device" 2>/dev/null | sed -n 's/.* UUID="\([^"]*\)".*/\1/p')"
    for k in "/boot/vmlinuz-$1" "/boot/Image-$1" "/boot/vmlinux-$1"; do
        if [ -f "$k" ]; then echo "kernel=$k"; break; fi
    done
    for i in "/boot/initrd.img-$1" "/boot/initrd-$1.img" "/boot/initramfs-$1.img"; do
        if [ -f "$i" ]; then echo "initrd=$i"; break; fi
    done
    installed=
    for k in /boot/vmlinuz-* /boot/Image-* /boot/vmlinux-*; do
        if [ -f "$k" ]; then installed="$installed ${k#/boot/*-}"; fi
    done
    echo "installed=$installed"
}

# lab_grub_journal STATE LINE...: appends one change to the journal and makes it durable before the change.
lab_grub_journal() {
    state=$1
    shift
    mkdir -p "$state" || return 1
    echo "$*" >> "$state/journal" || return 1
    sync
}

# lab_grub_add STATE GRUBDIR ID ENTRYFILE: lab's menu entry ID (ENTRYFILE's text) at the end of GRUBDIR/custom.cfg.
lab_grub_add() {
    custom="$2/custom.cfg"
    if [ ! -e "$custom" ]; then
        lab_grub_journal "$1" created "$custom" || return 1
    fi
    lab_grub_journal "$1" block "$custom" "$3" || return 1
    { echo "### reclaim-lab $3 begin"; cat "$4"; echo "### reclaim-lab $3 end"; } >> "$custom" || return 1
    sync
}

# lab_grub_install STATE SOURCE TARGET: moves SOURCE (uploaded by lab) to TARGET, journaled. A TARGET that
# exists with the same bytes is used as it is (and stays); one with other bytes is not lab's to replace.
lab_grub_install() {
    if [ -e "$3" ]; then
        if cmp -s "$2" "$3"; then
            rm -f "$2"
            return 0
        fi
        echo "lab: $3 exists with other contents; lab does not replace a host's file" >&2
        rm -f "$2"
        return 1
    fi
    lab_grub_journal "$1" installed "$3" || return 1
    mv "$2" "$3" || return 1
    sync
}

# lab_grub_once STATE GRUBDIR ID TOOL EDITENV: boots entry ID at the next boot only, and checks GRUB will.
lab_grub_once() {
    lab_grub_journal "$1" next_entry "$2" "$3" || return 1
    "$4" "$3" || return 1
    sync
    if ! "$5" "$2/grubenv" list | grep -qx "next_entry=$3"; then
        echo "lab: $4 $3 did not set next_entry in $2/grubenv" >&2
        return 1
    fi
}

# lab_kexec_load STATE KERNEL INITRD CMDLINE: loads KERNEL (with INITRD, unless blank) for the next kexec.
lab_kexec_load() {
    lab_grub_journal "$1" kexec_loaded - - || return 1
    if [ -n "$3" ]; then
        kexec -l "$2" --initrd="$3" --command-line="$4"
    else
        kexec -l "$2" --command-line="$4"
    fi
}

# lab_kexec_exec: starts the loaded kernel, through systemd where it runs the host (services stop, file systems are
# unmounted), else at once after a sync. In the background: the caller's connection ends with this kernel.
lab_kexec_exec() {
    sync
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        (sleep 1; systemctl kexec) </dev/null >/dev/null 2>&1 &
    else
        (sleep 1; kexec -e) </dev/null >/dev/null 2>&1 &
    fi
}

# lab_grub_undo STATE EDITENV: reverses every journaled change, newest first, then forgets the state.
lab_grub_undo() {
    state=$1
    editenv=$2
    if [ ! -f "$state/journal" ]; then
        rm -rf "$state"
        return 0
    fi
    if ! sed -n '1!G;h;$p' "$state/journal" | while read -r what file id; do
        case $what in
        block)
            if [ -f "$file" ]; then
                awk -v b="### reclaim-lab $id begin" -v e="### reclaim-lab $id end" \
                    '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' "$file" > "$file.lab-tmp" \
                    && mv "$file.lab-tmp" "$file" || exit 1
            fi
            ;;
        created)
            if [ -f "$file" ] && ! grep -q '[^[:space:]]' "$file"; then rm -f "$file" || exit 1; fi
            ;;
        installed)
            rm -f "$file" || exit 1
            ;;
        kexec_loaded)
            if command -v kexec >/dev/null 2>&1; then kexec -u || exit 1; fi
            ;;
        next_entry)
            if [ -n "$editenv" ] && "$editenv" "$file/grubenv" list | grep -qx "next_entry=$id"; then
                "$editenv" "$file/grubenv" unset next_entry || exit 1
            fi
            ;;
        esac
    done; then
        echo "lab: could not undo all of $state/journal; it stays for lab cleanup" >&2
        return 1
    fi
    sync
    rm -rf "$state"
    sync
}
