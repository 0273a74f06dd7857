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
#   efi_files DIR         lab's folder on the EFI system partition (a kernel, an initrd): removed
#   installed_tree DIR    lab installed the folder DIR (a kernel's modules): removed
#   unpacked DIR          lab unpacked a kernel package into DIR: removed
#   efi_entry LABEL       efibootmgr -C: every UEFI boot entry labelled LABEL is deleted
#   efi_bootnext NUM      efibootmgr -n: BootNext unset again if the firmware has not booted (and cleared) it yet
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
    echo "efibootmgr=$(command -v efibootmgr 2>/dev/null)"
    for v in /sys/firmware/efi/efivars/*; do
        if [ -e "$v" ]; then echo "efivars=yes"; fi
        break
    done
    # the EFI system partition, where the firmware finds what it starts: its mount point, disk and partition number
    esp=$(awk '($2 == "/boot/efi" || $2 == "/efi" || $2 == "/boot") && $3 == "vfat" { print $2; exit }' /proc/mounts)
    if [ -n "$esp" ]; then
        espdev=$(awk -v mp="$esp" '$2 == mp { d = $1 } END { print d }' /proc/mounts)
        espdev=${espdev#/dev/}
        echo "esp=$esp"
        echo "esp_disk=/dev/$(basename "$(readlink -f "/sys/class/block/$espdev/..")")"
        echo "esp_part=$(cat "/sys/class/block/$espdev/partition" 2>/dev/null)"
    fi
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

# lab_pkg_install STATE PACKAGE: installs the kernel in PACKAGE (a .deb or .rpm lab uploaded) for a boot, without
# the package manager, whose maintainer scripts would run update-grub and could change the host's default entry:
# the package is unpacked into STATE/unpack, its image (and config, System.map) goes to /boot, its modules to
# /lib/modules/RELEASE (then depmod), and the host's own tool makes the initrd (mkinitramfs, else dracut). Nothing
# the host has already is touched. Prints release=RELEASE. LAB_ROOT, empty on hosts, roots the paths for tests.
lab_pkg_install() {
    root=${LAB_ROOT:-}
    unpack="$1/unpack"
    lab_grub_journal "$1" unpacked "$unpack" || return 1
    rm -rf "$unpack" && mkdir -p "$unpack" || return 1
    case $2 in
    *.deb)
        if ! command -v dpkg-deb >/dev/null 2>&1; then echo "lab: no dpkg-deb on this host to unpack $2" >&2; return 1; fi
        dpkg-deb -x "$2" "$unpack" || return 1
        ;;
    *.rpm)
        if ! command -v rpm2cpio >/dev/null 2>&1 || ! command -v cpio >/dev/null 2>&1; then
            echo "lab: no rpm2cpio and cpio on this host to unpack $2" >&2
            return 1
        fi
        (cd "$unpack" && rpm2cpio "$2" | cpio -idm --quiet) || return 1
        ;;
    *)
        echo "lab: not a .deb or .rpm: $2" >&2
        return 1
        ;;
    esac
    # the modules folder names the release; Debian's image is in /boot, Fedora's and RHEL's next to the modules
    release=
    for d in "$unpack"/lib/modules/* "$unpack"/usr/lib/modules/*; do
        if [ -d "$d" ]; then release=${d##*/}; modules=$d; break; fi
    done
    if [ -z "$release" ]; then echo "lab: $2 holds no kernel modules folder (lib/modules/RELEASE)" >&2; return 1; fi
    image=
    for k in "$unpack/boot/vmlinuz-$release" "$unpack/boot/Image-$release" "$modules/vmlinuz"; do
        if [ -f "$k" ]; then image=$k; break; fi
    done
    if [ -z "$image" ]; then echo "lab: $2 holds no kernel image for $release" >&2; return 1; fi
    mkdir -p "$root/boot" || return 1
    lab_pkg_file "$1" "$image" "$root/boot/vmlinuz-$release" || return 1
    for f in config System.map; do
        for src in "$unpack/boot/$f-$release" "$modules/$f"; do
            if [ -f "$src" ]; then lab_pkg_file "$1" "$src" "$root/boot/$f-$release" || return 1; break; fi
        done
    done
    if [ ! -e "$root/lib/modules/$release" ]; then
        lab_grub_journal "$1" installed_tree "$root/lib/modules/$release" || return 1
        mkdir -p "$root/lib/modules" && mv "$modules" "$root/lib/modules/$release" || return 1
        if command -v depmod >/dev/null 2>&1; then depmod ${root:+-b "$root"} "$release" || return 1; fi
    fi
    if [ ! -e "$root/boot/initrd.img-$release" ] && [ ! -e "$root/boot/initramfs-$release.img" ]; then
        if command -v mkinitramfs >/dev/null 2>&1; then
            lab_grub_journal "$1" installed "$root/boot/initrd.img-$release" || return 1
            mkinitramfs -o "$root/boot/initrd.img-$release" "$release" || return 1
        elif command -v dracut >/dev/null 2>&1; then
            lab_grub_journal "$1" installed "$root/boot/initramfs-$release.img" || return 1
            dracut --quiet --kver "$release" "$root/boot/initramfs-$release.img" || return 1
        else
            echo "lab: no mkinitramfs (initramfs-tools) or dracut on this host to make the initrd of $release" >&2
            return 1
        fi
    fi
    rm -rf "$unpack"
    sync
    echo "release=$release"
}

# lab_pkg_file STATE SOURCE TARGET: copies SOURCE to TARGET, journaled, unless TARGET is there (the host's own).
lab_pkg_file() {
    if [ -e "$3" ]; then return 0; fi
    lab_grub_journal "$1" installed "$3" || return 1
    cp "$2" "$3"
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

# lab_efi_add STATE ESP DISK PART LABEL KERNEL INITRD CMDLINE: copies KERNEL (and INITRD, unless blank) to lab's
# folder on the EFI system partition ESP and makes a UEFI boot entry LABEL that starts the kernel's EFI stub with
# CMDLINE. The entry is not put into BootOrder: the firmware boots it only as BootNext.
lab_efi_add() {
    dir="$2/EFI/reclaimlab"
    lab_grub_journal "$1" efi_files "$dir" || return 1
    mkdir -p "$dir" || return 1
    # the firmware starts the image itself: a gzip-compressed one is unpacked for it
    if [ "$(head -c 2 "$6" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; then
        gzip -dc "$6" > "$dir/vmlinuz.efi" || return 1
    else
        cp "$6" "$dir/vmlinuz.efi" || return 1
    fi
    if [ "$(head -c 2 "$dir/vmlinuz.efi")" != MZ ]; then
        echo "lab: $6 is not an EFI application (a kernel without the EFI stub); the firmware cannot start it" >&2
        return 1
    fi
    args=$8
    if [ -n "$7" ]; then
        cp "$7" "$dir/initrd.img" || return 1
        args="initrd=\\EFI\\reclaimlab\\initrd.img $8"
    fi
    sync
    lab_grub_journal "$1" efi_entry "$5" || return 1
    efibootmgr -q -C -d "$3" -p "$4" -L "$5" -l '\EFI\reclaimlab\vmlinuz.efi' -u "$args" || return 1
}

# lab_efi_entries LABEL: the numbers of the UEFI boot entries labelled LABEL.
lab_efi_entries() {
    efibootmgr | sed -n "s/^Boot\([0-9A-Fa-f]\{4\}\)\*\{0,1\} $1\([[:space:]].*\)\{0,1\}\$/\1/p"
}

# lab_efi_once STATE LABEL: makes the entry LABEL the firmware's BootNext, and checks the firmware has it.
lab_efi_once() {
    num=$(lab_efi_entries "$2" | head -n 1)
    if [ -z "$num" ]; then
        echo "lab: no UEFI boot entry $2 after efibootmgr -C" >&2
        return 1
    fi
    lab_grub_journal "$1" efi_bootnext "$num" || return 1
    efibootmgr -q -n "$num" || return 1
    if ! efibootmgr | grep -qx "BootNext: $num"; then
        echo "lab: efibootmgr -n $num did not set BootNext" >&2
        return 1
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
        efi_files | installed_tree | unpacked)
            rm -rf "$file" || exit 1
            ;;
        efi_entry)
            for num in $(lab_efi_entries "$file"); do efibootmgr -q -b "$num" -B || exit 1; done
            ;;
        efi_bootnext)
            if efibootmgr 2>/dev/null | grep -qx "BootNext: $file"; then efibootmgr -q -N || exit 1; fi
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
