# shellcheck shell=sh
# lab's helper functions on a test host. POSIX sh only: hosts may have nothing but busybox.
# Installed as $LAB_J/lib.sh at the start of a run (lab_begin) and sourced by every step, every undo entry, the
# run's watchdog and `lab cleanup`, so steps and undo entries are one readable call each and still work after the
# orchestrator died.
# Every function a step calls is here; the orchestrator only quotes their arguments. Functions keep their state in
# globals named after them (POSIX sh has no local variables).
#
# A run lives in one folder on the host's disk, <workdir base>/<run-id> (e.g. /var/tmp/lab/20261201-103445-84f4),
# and its journal in that folder's journal/, so it survives a reboot together with what it undoes (a swap file).
#
# Journal layout ($LAB_J = <workdir base>/<run-id>/journal):
#   undo/<seq>-<name>.sh   one undo action per setup action, written BEFORE the action runs;
#                          replayed in reverse order, each removed once it succeeded
#   proof/<seq>-<name>     what that action made, and the identity of each thing (see lab_proof)
#   saved/<name>           old values (sysctls) that an undo entry puts back
#   lib.sh                 this file
#   owner                  who runs it (orchestrator, pid, start), the host's boot id, the watchdog's ttl
#   heartbeat              the host's uptime when the orchestrator last said it is alive (lab_beat)
#   watchdog.pid           the watchdog (lab_watchdog), which undoes the run when the heartbeats stop
#
# An undo reverses only what its own step made. The script that runs a step sets LAB_ENTRY to its journal entry's
# name; the step records proof of each thing it made (lab_proof), and lab_teardown sets LAB_ENTRY again for the
# undo, which acts only on what the proof still matches (lab_proven). Something that was there before lab, or that
# the step never got to make, is left alone.

lab_say() { printf 'lab: %s\n' "$*" >&2; }
lab_die() { lab_say "$*"; exit 1; }

# --- the journal --------------------------------------------------------------------------------------------------

# lab_journal NAME UNDO-SCRIPT: record how to undo the action about to happen; atomic (tmp + mv).
lab_journal() {
    mkdir -p "$LAB_J/undo" || lab_die "cannot create journal $LAB_J/undo"
    if ! { printf '%s\n' "$2" > "$LAB_J/undo/.$1.tmp" && mv "$LAB_J/undo/.$1.tmp" "$LAB_J/undo/$1.sh"; }; then
        lab_die "cannot write journal entry $1"
    fi
}

# lab_teardown [AFTER]: replay the journal newest first, stopping at entry AFTER (exclusive; default: all).
# Entries that fail stay in the journal for `lab cleanup`; the exit status says whether any failed.
lab_teardown() {
    lab_after=${1:-0000}
    [ -d "$LAB_J/undo" ] || return 0
    lab_failed=0
    set --
    for lab_entry in "$LAB_J"/undo/*.sh; do
        [ -f "$lab_entry" ] && set -- "$lab_entry" "$@"    # newest first
    done
    for lab_entry in "$@"; do
        lab_name=${lab_entry##*/}
        lab_name=${lab_name%.sh}
        lab_seq=${lab_name%%-*}
        [ "$lab_seq" -gt "$lab_after" ] 2>/dev/null || continue
        LAB_ENTRY=$lab_name    # the undo finds its step's proof under this name
        # shellcheck disable=SC1090  # the entries are the journal's own, written by lab_journal
        if ( . "$lab_entry" ); then
            rm -f "$lab_entry" "$LAB_J/proof/$lab_name"
            printf 'undone %s\n' "$lab_name"
        else
            lab_say "undo failed: $lab_name (kept for lab cleanup)"
            lab_failed=1
        fi
    done
    LAB_ENTRY=
    return $lab_failed
}

# lab_finish: after a complete teardown, remove the run's folder with the journal in it (and the workdir base when
# lab made it and nothing else is in it), and stop the watchdog.
lab_finish() {
    set --
    for lab_entry in "$LAB_J"/undo/*.sh; do
        [ -f "$lab_entry" ] && set -- "$@" "${lab_entry##*/}"
    done
    if [ $# -gt 0 ]; then
        lab_say "journal $LAB_J still has entries: $*"
        return 1
    fi
    [ "$(lab_pidfile_pid "$LAB_J/watchdog.pid")" = "$$" ] || lab_stop_bg "$LAB_J/watchdog.pid"
    lab_fin_dir=${LAB_J%/journal} lab_fin_base=${LAB_J%/*/journal}
    lab_fin_dir_id=$(sed -n 's/^dir //p' "$LAB_J/proof/run" 2>/dev/null)
    if [ -n "$lab_fin_dir_id" ] && [ "$(lab_ident "$lab_fin_dir")" = "$lab_fin_dir_id" ]; then
        rm -rf "$lab_fin_dir"
    else
        rm -rf "$LAB_J"
    fi
    # The base goes with the last run in it, if a run of lab's made it (whichever run that was).
    if [ "$lab_fin_base" != "$LAB_J" ] && [ -f "$lab_fin_base/$LAB_MADE_BASE" ] \
            && [ "$(cat "$lab_fin_base/$LAB_MADE_BASE")" = "$(lab_ident "$lab_fin_base")" ] \
            && lab_holds_only "$lab_fin_base" "$LAB_MADE_BASE"; then
        rm -f "$lab_fin_base/$LAB_MADE_BASE"
        rmdir "$lab_fin_base" 2>/dev/null
    fi
    return 0
}

# lab_holds_only DIR NAME: DIR holds nothing but NAME.
lab_holds_only() {
    for lab_ho_entry in "$1"/* "$1"/.[!.]* "$1"/..?*; do
        [ -e "$lab_ho_entry" ] || [ -L "$lab_ho_entry" ] || continue
        [ "${lab_ho_entry##*/}" = "$2" ] || return 1
    done
    return 0
}

# The file in a work directory base that says lab made the base (with the base's identity), so the last run to
# leave removes it, and a base that was there before lab is never removed.
LAB_MADE_BASE=.made-by-lab

# --- proof: what a step made ------------------------------------------------------------------------------------

# lab_ident PATH: "device:inode" of PATH itself (a symlink is not followed); empty when there is nothing there.
lab_ident() {
    stat -c '%d:%i' "$1" 2>/dev/null
}

# lab_proof KEY VALUE: record that the running step ($LAB_ENTRY) made KEY, whose identity is VALUE.
lab_proof() {
    [ -n "$LAB_ENTRY" ] || return 0
    mkdir -p "$LAB_J/proof" || lab_die "cannot record what $LAB_ENTRY made"
    printf '%s %s\n' "$1" "$2" >> "$LAB_J/proof/$LAB_ENTRY" || lab_die "cannot record what $LAB_ENTRY made"
}

# lab_proven KEY VALUE: the step whose undo runs now ($LAB_ENTRY) made KEY and it is still the same (VALUE).
lab_proven() {
    [ -n "$LAB_ENTRY" ] && [ -n "$2" ] && [ -f "$LAB_J/proof/$LAB_ENTRY" ] \
        && grep -qxF "$1 $2" "$LAB_J/proof/$LAB_ENTRY"
}

# lab_leave WHAT: say that an undo leaves WHAT alone because its step did not make it (or it changed since).
lab_leave() {
    lab_say "left $* alone: not made by this step, or changed since"
}

# --- small tools --------------------------------------------------------------------------------------------------

# lab_write FILE VALUE: write a control file, naming file and value when the kernel refuses.
lab_write() {
    printf '%s\n' "$2" > "$1" 2>/dev/null || lab_die "cannot write '$2' to $1"
}

# lab_put FILE: write stdin to FILE, making its folder first.
lab_put() {
    mkdir -p "${1%/*}" && cat > "$1"
}

# lab_save FILE NAME: keep FILE's current value in the journal, as NAME, so an undo entry can restore it.
lab_save() {
    mkdir -p "$LAB_J/saved" || lab_die "cannot save $1"
    cat "$1" > "$LAB_J/saved/$2" || lab_die "cannot save $1"
}

# lab_restore NAME FILE: put back what lab_save kept (the undo half of lab_sysctl), when FILE still holds what the
# step wrote; a value someone else set since is left.
lab_restore() {
    [ -f "$LAB_J/saved/$1" ] || return 0
    if lab_proven "$2" "$(cat "$2" 2>/dev/null)"; then
        cat "$LAB_J/saved/$1" > "$2" || return 1
    else
        lab_leave "$2"
    fi
    rm -f "$LAB_J/saved/$1"
}

# lab_alive PID: the process runs (a zombie waiting for a slow init to reap it does not count).
lab_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    case $(cat "/proc/$1/stat" 2>/dev/null) in *") Z "*) return 1 ;; esac
}

# lab_started PID: when the process started (clock ticks after boot, /proc/PID/stat field 22): with its pid, it
# names one process, where a pid alone may name a later one that got the same number.
lab_started() {
    lab_started_stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    # shellcheck disable=SC2086  # split the fields after the command name, which may hold spaces
    set -- ${lab_started_stat##*) }
    [ $# -ge 20 ] && echo "${20}"
}

# lab_bg PIDFILE OUT ERR CMD...: start CMD detached from this session (it outlives the SSH channel) and
# record its pid and start time; lab_stop_bg undoes it.
lab_bg() {
    lab_bg_pidfile=$1 lab_bg_out=$2 lab_bg_err=$3; shift 3
    setsid "$@" < /dev/null > "$lab_bg_out" 2> "$lab_bg_err" &
    echo "$! $(lab_started $!)" > "$lab_bg_pidfile"
}

# lab_pidfile_pid PIDFILE: the pid lab_bg recorded (empty when there is none).
lab_pidfile_pid() {
    [ -f "$1" ] || return 0
    read -r lab_pp_pid _ < "$1" && echo "$lab_pp_pid"
}

# lab_stop_bg PIDFILE: stop the process lab_bg started, if it still runs and is still that process.
lab_stop_bg() {
    [ -f "$1" ] || return 0
    read -r lab_stop_pid lab_stop_started < "$1"
    if [ -n "$lab_stop_started" ] && [ "$(lab_started "$lab_stop_pid")" != "$lab_stop_started" ]; then
        lab_stop_pid=    # gone, and its pid perhaps another process's now
    fi
    if [ -n "$lab_stop_pid" ] && lab_alive "$lab_stop_pid"; then
        # setsid made it a process group leader: signal the group, so a sampler's sleep ends too.
        kill -TERM -"$lab_stop_pid" 2>/dev/null || kill -TERM "$lab_stop_pid" 2>/dev/null
        lab_stop_tries=0
        while lab_alive "$lab_stop_pid" && [ "$lab_stop_tries" -lt 50 ]; do
            sleep 0.1 2>/dev/null || sleep 1; lab_stop_tries=$((lab_stop_tries + 1))
        done
        kill -KILL -"$lab_stop_pid" 2>/dev/null || kill -KILL "$lab_stop_pid" 2>/dev/null
    fi
    rm -f "$1"
}

# lab_wait_quiet FILE: wait until FILE stops growing (a trace drainer has written all it read).
lab_wait_quiet() {
    lab_quiet_prev=-1 lab_quiet_tries=0
    while [ "$lab_quiet_tries" -lt 100 ]; do
        lab_quiet_size=$(wc -c < "$1" 2>/dev/null || echo 0)
        [ "$lab_quiet_size" = "$lab_quiet_prev" ] && return 0
        lab_quiet_prev=$lab_quiet_size lab_quiet_tries=$((lab_quiet_tries + 1))
        sleep 0.2 2>/dev/null || sleep 1
    done
}

# --- the run's own places -----------------------------------------------------------------------------------------

# lab_safe_base DIR: DIR is a directory (not a symlink) owned by the user lab runs as (root: lab requires it) that
# nobody else may write to, so nobody can plant anything in it for root to follow.
lab_safe_base() {
    if [ ! -d "$1" ] || [ -L "$1" ]; then return 1; fi
    lab_sb_owner=$(stat -c '%u' "$1") && lab_sb_mode=$(stat -c '%a' "$1") || return 1
    [ "$lab_sb_owner" = "$(id -u)" ] && [ $((0$lab_sb_mode & 022)) -eq 0 ]
}

# lab_begin LIB BASE DIR TTL SHARING OWNER: the first step of a run, with lib.sh's text in LIB. Makes the run's
# folder DIR (readable by root only) in BASE (e.g. /var/tmp/lab), its journal with lib.sh in it, the owner record
# and the first heartbeat, and starts the watchdog: from here on the host undoes the run by itself when the
# orchestrator stops saying it is alive for TTL seconds. BASE is made when missing; one that exists must pass
# lab_safe_base. DIR must not exist: an existing path or a symlink fails the step. Unless SHARING is "shared", a
# host where another run is live refuses this one.
lab_begin() {
    lab_b_lib=$1 lab_b_base=$2 lab_b_dir=$3 lab_b_ttl=$4 lab_b_sharing=$5 lab_b_owner=$6
    lab_b_made_base=
    if [ ! -e "$lab_b_base" ] && [ ! -L "$lab_b_base" ]; then
        mkdir -m 755 "$lab_b_base" || lab_die "cannot make $lab_b_base (does ${lab_b_base%/*} exist?)"
        lab_b_made_base=$(lab_ident "$lab_b_base")
    fi
    lab_safe_base "$lab_b_base" || lab_die "refusing work directory base $lab_b_base: it must be a directory (not" \
        "a symlink) owned by root that nobody else can write to"
    if [ "$lab_b_sharing" != shared ]; then
        for lab_b_other in "$lab_b_base"/*/journal; do
            [ -f "$lab_b_other/owner" ] || continue
            if lab_live "$lab_b_other"; then
                [ -z "$lab_b_made_base" ] || rmdir "$lab_b_base"
                lab_die "the host is busy: run ${lab_b_other%/journal} is live ($(lab_owner_line "$lab_b_other"));" \
                    "a plan that may share its hosts says share_hosts: true"
            fi
        done
    fi
    if ! mkdir -m 700 "$lab_b_dir"; then
        [ -z "$lab_b_made_base" ] || rmdir "$lab_b_base"
        lab_die "cannot make the run's folder $lab_b_dir (is something there already?)"
    fi
    LAB_J=$lab_b_dir/journal
    if ! { mkdir -m 700 "$LAB_J" "$LAB_J/undo" "$LAB_J/proof" \
            && printf '%s\n' "$lab_b_lib" > "$LAB_J/lib.sh" \
            && echo "dir $(lab_ident "$lab_b_dir")" > "$LAB_J/proof/run" \
            && { [ -z "$lab_b_made_base" ] || echo "$lab_b_made_base" > "$lab_b_base/$LAB_MADE_BASE"; } \
            && printf '%s\nboot_id=%s\nttl=%s\n' "$lab_b_owner" "$(cat /proc/sys/kernel/random/boot_id)" \
                "$lab_b_ttl" > "$LAB_J/owner" \
            && lab_beat; }; then
        rm -rf "$lab_b_dir"
        [ -z "$lab_b_made_base" ] || rm -rf "$lab_b_base"
        lab_die "cannot write the journal in $LAB_J"
    fi
    # shellcheck disable=SC2016  # the script is for the watchdog's own sh, which expands it
    lab_bg "$LAB_J/watchdog.pid" /dev/null /dev/null sh -c 'LAB_J=$0; . "$LAB_J/lib.sh" && lab_watchdog' "$LAB_J"
}

# lab_beat: the orchestrator is alive (it calls this every few seconds while the run goes on). The heartbeat is the
# host's uptime, which no clock change moves.
lab_beat() {
    read -r lab_beat_up _ < /proc/uptime
    printf '%s\n' "${lab_beat_up%.*}" > "$LAB_J/heartbeat.tmp" && mv "$LAB_J/heartbeat.tmp" "$LAB_J/heartbeat"
}

# lab_heartbeat_age [JOURNAL]: seconds since the orchestrator's last heartbeat; empty when there never was one.
lab_heartbeat_age() {
    read -r lab_ha_beat < "${1:-$LAB_J}/heartbeat" 2>/dev/null || return 0
    read -r lab_ha_up _ < /proc/uptime
    echo $(( ${lab_ha_up%.*} - lab_ha_beat ))
}

# lab_owner_value JOURNAL KEY: a key=value of the journal's owner record.
lab_owner_value() {
    sed -n "s/^$2=//p" "$1/owner" 2>/dev/null | head -n 1
}

# lab_owner_line JOURNAL: who runs it and when it last said so, in a few words.
lab_owner_line() {
    printf '%s, heartbeat %ss ago' "$(head -n 1 "$1/owner" 2>/dev/null)" "$(lab_heartbeat_age "$1")"
}

# lab_live JOURNAL: the run is live: its orchestrator said so within the watchdog's ttl, in this boot of the host.
lab_live() {
    [ "$(lab_owner_value "$1" boot_id)" = "$(cat /proc/sys/kernel/random/boot_id)" ] || return 1
    lab_live_age=$(lab_heartbeat_age "$1")
    [ -n "$lab_live_age" ] && [ "$lab_live_age" -le "$(lab_owner_value "$1" ttl)" ]
}

# lab_watchdog: runs detached on the host for the whole run (lab_begin starts it). When the orchestrator's
# heartbeat is older than the run's ttl (a killed orchestrator, a cut link), it undoes the run itself, says so in
# the kernel log, and ends; it also ends when the run's journal is gone (the run ended).
lab_watchdog() {
    lab_wd_ttl=$(lab_owner_value "$LAB_J" ttl)
    lab_wd_run=${LAB_J%/journal}
    lab_wd_run=${lab_wd_run##*/}
    while [ -f "$LAB_J/lib.sh" ]; do
        sleep 1
        [ -f "$LAB_J/lib.sh" ] || break
        lab_wd_age=$(lab_heartbeat_age)
        [ -n "$lab_wd_age" ] && [ "$lab_wd_age" -le "$lab_wd_ttl" ] && continue
        lab_kmsg "watchdog: no heartbeat for run $lab_wd_run for ${lab_wd_age}s (ttl ${lab_wd_ttl}s): undoing it"
        if lab_teardown > /dev/null 2>&1 && lab_finish; then
            lab_kmsg "watchdog: run $lab_wd_run undone"
        else
            lab_kmsg "watchdog: run $lab_wd_run not fully undone: lab cleanup finishes it"
        fi
        break
    done
}

# lab_mkdir DIR: a folder of the run's own (its parent, in the run's work directory, is made when missing).
lab_mkdir() {
    if ! { mkdir -p "${1%/*}" && mkdir "$1"; }; then lab_die "cannot make $1"; fi
    lab_proof "$1" "$(lab_ident "$1")"
}

# lab_rmtree DIR: the undo of lab_mkdir: DIR and everything in it.
lab_rmtree() {
    if lab_proven "$1" "$(lab_ident "$1")"; then rm -rf "$1"; elif [ -e "$1" ]; then lab_leave "$1"; fi
}

# lab_mount_tracefs DIR / lab_umount_tracefs DIR: tracefs where the host had not mounted it, and its undo.
lab_mount_tracefs() {
    grep -qF " $1 tracefs " /proc/mounts && return 0    # mounted meanwhile: nothing to make
    mount -t tracefs nodev "$1" || return 1
    lab_proof mount "$1"
}
lab_umount_tracefs() {
    lab_proven mount "$1" || return 0
    if grep -qF " $1 tracefs " /proc/mounts; then umount "$1"; fi
}

# --- swap and sysctls ---------------------------------------------------------------------------------------------

# lab_mkswap FILE KIB [PRIORITY]: a swap file of KIB KiB, born 0600 (umask), filled with zeros so it has no holes,
# then mkswap and swapon. Refuses a FILE that exists.
lab_mkswap() {
    if [ -e "$1" ] || [ -L "$1" ]; then lab_die "refusing to overwrite $1"; fi
    # noclobber: made here and now, or the step fails (nothing else can have put a file there in between)
    (set -C; umask 077; : > "$1") 2>/dev/null || lab_die "cannot make $1"
    lab_proof "$1" "$(lab_ident "$1")"
    if [ $(($2 % 1024)) -eq 0 ]; then lab_swap_bs=1M lab_swap_count=$(($2 / 1024)); else lab_swap_bs=1K lab_swap_count=$2; fi
    (umask 077 && dd if=/dev/zero of="$1" bs="$lab_swap_bs" count="$lab_swap_count" 2>/dev/null) || return 1
    mkswap "$1" > /dev/null || return 1
    if [ -n "$3" ]; then swapon -p "$3" "$1"; else swapon "$1"; fi
}

# lab_swapoff_rm FILE: the undo of lab_mkswap: swap off and remove the file lab made (and only that file).
lab_swapoff_rm() {
    lab_proven "$1" "$(lab_ident "$1")" || { [ ! -e "$1" ] || lab_leave "$1"; return 0; }
    if lab_swap_active "$1"; then swapoff "$1" || return 1; fi
    rm -f "$1"
}

# lab_swap_active FILE: FILE is in use as swap. /proc/swaps writes a space in a name as \040, a tab as \011 and a
# backslash as \134, so FILE is written that way before comparing.
lab_swap_active() {
    lab_sa_name=$(printf '%s\n' "$1" | sed 's/\\/\\134/g; s/ /\\040/g; s/	/\\011/g')
    while read -r lab_sa_used _; do
        [ "$lab_sa_used" = "$lab_sa_name" ] && return 0
    done < /proc/swaps
    return 1
}

# lab_sysctl FILE NAME VALUE: keep FILE's value in the journal as NAME (lab_restore NAME FILE puts it back), then
# write VALUE. A sysctl already at VALUE is not touched, and so not restored either.
lab_sysctl() {
    [ "$(cat "$1" 2>/dev/null)" = "$3" ] && return 0
    lab_save "$1" "$2" && lab_write "$1" "$3"
    lab_proof "$1" "$(cat "$1")"
}

# lab_raise FILE NAME VALUE: as lab_sysctl, for a number that should be at least VALUE: one already that large or
# larger is left as it is.
lab_raise() {
    lab_raise_now=$(cat "$1" 2>/dev/null) || lab_die "cannot read $1"
    case $lab_raise_now in ''|*[!0-9]*) lab_die "$1 holds '$lab_raise_now', not a number" ;; esac
    [ "$lab_raise_now" -ge "$3" ] && return 0
    lab_sysctl "$1" "$2" "$3"
}

# lab_drop_caches: write dirty pages back, then drop the page cache, dentries and inodes.
lab_drop_caches() {
    sync && lab_write /proc/sys/vm/drop_caches 3
}

# --- memory cgroups -----------------------------------------------------------------------------------------------

# lab_mkcg DIR [FILE VALUE]...: make a cgroup, then write its control files in the order given
# (cgroup.subtree_control +memory, memory.max 100M, ...).
lab_mkcg() {
    lab_mkcg_dir=$1; shift
    mkdir "$lab_mkcg_dir" || lab_die "cannot make cgroup $lab_mkcg_dir"
    lab_proof "$lab_mkcg_dir" "$(lab_ident "$lab_mkcg_dir")"
    while [ $# -ge 2 ]; do
        lab_write "$lab_mkcg_dir/$1" "$2"
        shift 2
    done
}

# lab_mkcgs PARENT NAMES [FILE VALUE]...: lab_mkcg PARENT/NAME for each name in NAMES (one word, names separated
# by spaces: the plan allows only letters, digits, '.', '_' and '-' in them).
lab_mkcgs() {
    lab_mkcgs_parent=$1 lab_mkcgs_names=$2; shift 2
    for lab_mkcgs_name in $lab_mkcgs_names; do
        lab_mkcg "$lab_mkcgs_parent/$lab_mkcgs_name" "$@" || return 1
    done
}

# lab_rmcg DIR: the undo of lab_mkcg: remove the cgroup its step made, with what lab made in it.
lab_rmcg() {
    [ -d "$1" ] || return 0
    lab_proven "$1" "$(lab_ident "$1")" || { lab_leave "$1"; return 0; }
    lab_cg_remove "$1"
}

# lab_cg_remove DIR: remove a cgroup (children first), killing whatever still runs in it. On cgroup v2 from Linux
# 5.14 one write to cgroup.kill kills the whole subtree; elsewhere every process is killed by pid.
lab_cg_remove() {
    [ -d "$1" ] || return 0
    [ -f "$1/cgroup.kill" ] && { printf '1\n' > "$1/cgroup.kill"; } 2>/dev/null
    for lab_rmcg_child in "$1"/*/; do
        [ -d "$lab_rmcg_child" ] && { lab_cg_remove "${lab_rmcg_child%/}" || return 1; }
    done
    lab_rmcg_tries=0
    while ! rmdir "$1" 2>/dev/null; do
        while read -r lab_rmcg_pid; do
            kill -KILL "$lab_rmcg_pid"
        done 2>/dev/null < "$1/cgroup.procs"
        lab_rmcg_tries=$((lab_rmcg_tries + 1))
        [ "$lab_rmcg_tries" -le 100 ] || { lab_say "cgroup $1 still busy"; return 1; }
        sleep 0.1 2>/dev/null || sleep 1
    done
}

# lab_rmcgs PARENT NAMES: the undo of lab_mkcgs.
lab_rmcgs() {
    for lab_rmcgs_name in $2; do
        lab_rmcg "$1/$lab_rmcgs_name" || return 1
    done
}

# lab_delegate_memory DIR / lab_undelegate_memory DIR: the memory controller for DIR's children (cgroup v2), and
# its undo. The undo is best effort: the kernel refuses while other cgroups use the controller, and that is fine.
lab_delegate_memory() {
    case " $(cat "$1/cgroup.subtree_control" 2>/dev/null) " in *" memory "*) return 0 ;; esac
    lab_write "$1/cgroup.subtree_control" +memory
    lab_proof "$1" delegated
}
lab_undelegate_memory() {
    lab_proven "$1" delegated || return 0
    { printf '%s\n' -memory > "$1/cgroup.subtree_control"; } 2>/dev/null
    return 0
}

# --- tracing ------------------------------------------------------------------------------------------------------

# lab_mkinstance DIR KIB: a tracefs instance of the run's own, not recording, with a ring buffer of KIB per CPU.
lab_mkinstance() {
    mkdir "$1" || lab_die "cannot make tracefs instance $1"
    lab_proof "$1" "$(lab_ident "$1")"
    lab_write "$1/tracing_on" 0
    lab_write "$1/buffer_size_kb" "$2"
}

# lab_rminstance DIR: the undo of lab_mkinstance; its readers may need a moment to let go.
lab_rminstance() {
    [ -d "$1" ] || return 0
    lab_proven "$1" "$(lab_ident "$1")" || { lab_leave "$1"; return 0; }
    lab_rmi_tries=0
    while [ -d "$1" ] && ! rmdir "$1" 2>/dev/null; do
        lab_rmi_tries=$((lab_rmi_tries + 1))
        [ "$lab_rmi_tries" -le 50 ] || { lab_say "tracefs instance $1 still busy"; return 1; }
        sleep 0.1 2>/dev/null || sleep 1
    done
}

# lab_save_formats INSTANCE DIR SYSTEM:EVENT...: keep each event's format file as DIR/SYSTEM/EVENT.format, so the
# trace can be decoded on the orchestrator exactly as this kernel lays its events out.
lab_save_formats() {
    lab_fmt_instance=$1 lab_fmt_dir=$2; shift 2
    for lab_fmt_event in "$@"; do
        lab_fmt_system=${lab_fmt_event%%:*} lab_fmt_name=${lab_fmt_event#*:}
        mkdir -p "$lab_fmt_dir/$lab_fmt_system" || return 1
        cat "$lab_fmt_instance/events/$lab_fmt_system/$lab_fmt_name/format" \
            > "$lab_fmt_dir/$lab_fmt_system/$lab_fmt_name.format" || return 1
    done
}

# lab_trace_start INSTANCE PIDFILE OUT ERR MARKER SYSTEM:EVENT...: start draining the instance's trace_pipe into
# OUT (reading the pipe empties the ring buffer as it fills, so a storm overruns it less), enable the events, start
# recording and write MARKER into the trace. lab_stop_bg PIDFILE is its undo; lab_trace_stop its normal end.
lab_trace_start() {
    lab_ts_instance=$1 lab_ts_pidfile=$2 lab_ts_out=$3 lab_ts_err=$4 lab_ts_marker=$5; shift 5
    lab_bg "$lab_ts_pidfile" "$lab_ts_out" "$lab_ts_err" cat "$lab_ts_instance/trace_pipe" || return 1
    for lab_ts_event in "$@"; do
        lab_write "$lab_ts_instance/events/${lab_ts_event%%:*}/${lab_ts_event#*:}/enable" 1
    done
    lab_write "$lab_ts_instance/tracing_on" 1
    lab_write "$lab_ts_instance/trace_marker" "$lab_ts_marker"
}

# lab_trace_stop INSTANCE PIDFILE OUT STATS: stop recording, let the drainer write what it read, append what nobody
# read yet, and keep the ring buffer's overrun and drop counts in STATS.
lab_trace_stop() {
    lab_write "$1/tracing_on" 0
    lab_wait_quiet "$3" && lab_stop_bg "$2" && cat "$1/trace" >> "$3" && lab_trace_stats "$1" > "$4"
}

# lab_subbuf_size INSTANCE: the ring buffer's sub-buffer ("page") size in bytes, from events/header_page: the
# offset of its data plus the data's size. trace_pipe_raw hands out one such page per read, and a read of less
# returns only the events that fit, so every read must ask for exactly this much. header_page is read by sed, never by the
# shell's read: the kernel answers reads of a byte at a time (what read does) with its first byte and then the end.
lab_subbuf_size() {
    lab_sb=$(sed -n 's/.*char data;[^o]*offset:\([0-9]*\);[^s]*size:\([0-9]*\);.*/\1 \2/p' "$1/events/header_page")
    case $lab_sb in
        [0-9]*" "[0-9]*) echo $((${lab_sb% *} + ${lab_sb#* })) ;;
        *) lab_say "no data field in $1/events/header_page"; return 1 ;;
    esac
}

# lab_byte_order: little or big, the kernel's (od prints the two bytes 01 00 as the number 1 on a little-endian CPU).
lab_byte_order() {
    case $(printf '\001\000' | od -An -tu2 | tr -d ' ') in 1) echo little ;; *) echo big ;; esac
}

# lab_text_symbols FILE: the running kernel's text symbols (t and T lines of /proc/kallsyms, modules' too), which
# name the addresses of binary trace records and of sampled stacks; they hold for this boot only (KASLR).
lab_text_symbols() {
    grep -i ' t ' /proc/kallsyms > "$1" 2>/dev/null
}

# lab_profile_start SAMPLER HZ PIDFILE OUTDIR: lab's sampler of kernel stacks in the background, writing OUTDIR/
# samples.txt and OUTDIR/sampler.err. It prints its header once every CPU's event is open, so the workloads start
# after that; a kernel that refuses perf_event_open fails the step with the sampler's own words.
lab_profile_start() {
    lab_ps_bin=$1 lab_ps_hz=$2 lab_ps_pidfile=$3 lab_ps_out=$4
    mkdir -p "$lab_ps_out" && chmod 700 "$lab_ps_bin" || return 1
    lab_bg "$lab_ps_pidfile" "$lab_ps_out/samples.txt" "$lab_ps_out/sampler.err" "$lab_ps_bin" "$lab_ps_hz" || return 1
    lab_wait_started "$lab_ps_pidfile" "$lab_ps_out/samples.txt" lab-sampler "$lab_ps_out/sampler.err"
}

# lab_wait_started PIDFILE FILE WHAT ERRFILE...: wait (10 s at most) until FILE has bytes, the sign that the sampler
# lab_bg started has opened its events; if it died first, what it said (the ERRFILEs) goes to stderr.
lab_wait_started() {
    lab_ws_pidfile=$1 lab_ws_file=$2 lab_ws_what=$3; shift 3
    lab_ws_tries=0
    while [ "$lab_ws_tries" -lt 100 ]; do
        [ -s "$lab_ws_file" ] && return 0
        lab_ws_pid=$(lab_pidfile_pid "$lab_ws_pidfile")
        if [ -z "$lab_ws_pid" ] || ! lab_alive "$lab_ws_pid"; then
            cat "$@" >&2
            return 1
        fi
        sleep 0.1 2>/dev/null || sleep 1; lab_ws_tries=$((lab_ws_tries + 1))
    done
    echo "$lab_ws_what has not opened its events after 10 s" >&2
    return 1
}

# lab_profile_stop PIDFILE OUTDIR: stop the sampler (on SIGTERM it drains its rings and writes its end line), then
# keep this boot's text symbols beside its samples.
lab_profile_stop() {
    lab_stop_bg "$1"
    # without them the samples stay unnamed addresses, which the analysis says; the stop itself has worked
    lab_text_symbols "$2/kallsyms" || true
}

# lab_profile_start_perf HZ PIDFILE OUTDIR: perf record of every CPU with call chains, in the background, into
# OUTDIR/perf.data. perf writes the file's header once its events are open, so the workloads start after that; a
# perf that cannot sample fails the step with its own words.
lab_profile_start_perf() {
    lab_pp_hz=$1 lab_pp_pidfile=$2 lab_pp_out=$3
    mkdir -p "$lab_pp_out" || return 1
    lab_bg "$lab_pp_pidfile" "$lab_pp_out/perf.out" "$lab_pp_out/sampler.err" \
        perf record -q -a -g -F "$lab_pp_hz" -o "$lab_pp_out/perf.data" || return 1
    lab_wait_started "$lab_pp_pidfile" "$lab_pp_out/perf.data" "perf record" "$lab_pp_out/sampler.err" \
        "$lab_pp_out/perf.out"
}

# lab_profile_stop_perf PIDFILE OUTDIR HZ: stop perf record (on SIGTERM it writes out what it holds), then turn
# perf script's samples into the lines of lab's sampler (OUTDIR/samples.txt: kernel frames as addresses, leaf first;
# a sample without kernel frames as user mode), so both are named and folded alike on the orchestrator; keep this
# boot's text symbols beside them and drop perf.data.
lab_profile_stop_perf() {
    lab_ps_pidfile=$1 lab_ps_out=$2 lab_ps_hz=$3
    lab_stop_bg "$lab_ps_pidfile"
    perf script -i "$lab_ps_out/perf.data" -F comm,pid,tid,cpu,time,ip 2>> "$lab_ps_out/sampler.err" |
        lab_perf_lines "$lab_ps_hz" > "$lab_ps_out/samples.txt" || return 1
    lab_text_symbols "$lab_ps_out/kallsyms" || true
    rm -f "$lab_ps_out/perf.data" "$lab_ps_out/perf.data.old"
}

# lab_perf_lines HZ: perf script's "COMM PID/TID [CPU] SECONDS.MICROS:" headers, each followed by one address a line,
# as lab-sampler's "S CPU PID TID NS k|u ADDRESSES COMM" lines. Kernel addresses have all 16 hex digits and the top
# bit set; perf's user frames after them are left out, as lab's sampler never walks them.
lab_perf_lines() {
    awk -v hz="$1" '
        function flush() {
            if (!open) return
            open = 0; samples++
            if (ips == "") print "S", cpu, pid, tid, ns, "u", "-", comm
            else print "S", cpu, pid, tid, ns, "k", ips, comm
        }
        BEGIN { print "# lab-sampler 1 hz=" hz " cpus=0 source=perf" }
        /^[^ \t]/ && NF >= 4 && $NF ~ /^[0-9]+\.[0-9]+:$/ && $(NF - 1) ~ /^\[[0-9]+\]$/ {
            flush()
            t = $NF; sub(/:$/, "", t); split(t, part, ".")
            ns = part[1] substr(part[2] "000000000", 1, 9); sub(/^0+/, "", ns); if (ns == "") ns = 0
            cpu = $(NF - 1); gsub(/[][]/, "", cpu); cpu += 0
            split($(NF - 2), ids, "/"); pid = ids[1]; tid = (ids[2] == "" ? ids[1] : ids[2])
            comm = $1; for (i = 2; i <= NF - 3; i++) comm = comm " " $i
            ips = ""; open = 1
            next
        }
        open && /^[ \t]+[0-9a-f]+/ {
            a = $1
            if (length(a) == 16 && a ~ /^[89a-f]/) ips = ips (ips == "" ? "" : ",") a
            next
        }
        /^$/ { flush() }
        END { flush(); print "# end samples=" samples + 0 " lost=0" }'
}

# lab_trace_start_raw INSTANCE PIDFILE RAWDIR ERR MARKER SYSTEM:EVENT...: the binary capture. Per CPU, a reader
# copies that CPU's trace_pipe_raw into RAWDIR/cpuN a ring-buffer page per read: the kernel hands its pages over as
# they are, without formatting a line of text. Each reader wakes every quarter second and reads only the pages the
# buffer holds then (its stats' unread bytes over the page size): a reader that waited on the pipe would be woken by
# every event and copy a page holding a handful (five times the file, and a CPU's worth of wake-ups in a storm). The
# readers run at nice -20, so a storm's dozens of runnable tasks cannot keep them from their turn while the buffer
# fills; they take little CPU when they run. They write with O_DIRECT where the file system takes it, 16 pages a
# write: a storm's writers push the host's dirty pages to the global limit, and a reader writing through the page
# cache was then throttled with them for 10 s at a time, long enough for its ring buffer to overrun (seen on the
# emulated host). Where O_DIRECT is refused (tmpfs before Linux 6.6, a dd without oflag) they append as before. What decoding needs (the page and event headers, the clock, the byte
# order) goes into RAWDIR first. Then as lab_trace_start. Without trace_pipe_raw it fails with exit 3, and the
# caller falls back to text. lab_trace_stop_raw stops the readers between two reads (RAWDIR/.stop).
lab_trace_start_raw() {
    lab_tr_instance=$1 lab_tr_pidfile=$2 lab_tr_raw=$3 lab_tr_err=$4 lab_tr_marker=$5; shift 5
    [ -r "$lab_tr_instance/per_cpu/cpu0/trace_pipe_raw" ] || return 3
    lab_tr_page=$(lab_subbuf_size "$lab_tr_instance") || return 3
    mkdir -p "$lab_tr_raw/stats" || return 1
    cat "$lab_tr_instance/events/header_page" > "$lab_tr_raw/header_page" || return 1
    cat "$lab_tr_instance/events/header_event" > "$lab_tr_raw/header_event" || return 1
    cat "$lab_tr_instance/trace_clock" > "$lab_tr_raw/trace_clock" || return 1
    lab_byte_order > "$lab_tr_raw/byte_order" || return 1
    # shellcheck disable=SC2016  # the script is for the inner sh, which expands it
    lab_bg "$lab_tr_pidfile" /dev/null "$lab_tr_err" sh -c 'page=$1 raw=$2; shift 2
        renice -n -20 -p $$ >/dev/null 2>&1
        for cpu in "$@"; do
            out=$raw/${cpu##*/}; : > "$out"
            direct=no
            dd if=/dev/null of="$out" ibs="$page" obs=$((page * 16)) count=0 oflag=direct,append conv=notrunc \
                2>/dev/null && direct=yes
            while [ ! -e "$raw/.stop" ]; do
                n=262144 # the shell reads the stats itself: a process per read costs the storm CPU under emulation
                while IFS=: read -r k v; do [ "$k" = bytes ] && n=${v# }; done < "$cpu/stats"
                n=$(( n / page ))
                if [ "$n" -eq 0 ]; then :
                elif [ "$direct" = yes ]; then
                    dd if="$cpu/trace_pipe_raw" of="$out" ibs="$page" obs=$((page * 16)) count="$n" \
                        oflag=direct,append conv=notrunc 2>/dev/null
                else
                    dd if="$cpu/trace_pipe_raw" bs="$page" count="$n" 2>/dev/null >> "$out"
                fi
                sleep 0.25 2>/dev/null || sleep 1
            done &
        done
        wait' lab-capture "$lab_tr_page" "$lab_tr_raw" "$lab_tr_instance"/per_cpu/cpu* || return 1
    for lab_tr_event in "$@"; do
        lab_write "$lab_tr_instance/events/${lab_tr_event%%:*}/${lab_tr_event#*:}/enable" 1
    done
    lab_write "$lab_tr_instance/tracing_on" 1
    lab_write "$lab_tr_instance/trace_marker" "$lab_tr_marker"
}

# lab_trace_stop_raw TRACEFS INSTANCE PIDFILE RAWDIR STATS: stop recording, ask the readers to stop between two
# reads and wait for them (one stopped between its read and its write would lose that page; after 30 s they are
# killed), then read what the buffers still hold a page at a time until their stats say they are empty. Then the
# per-CPU counters, the comm of each recent pid, and the kernel's text symbols (to name the shrinker functions in
# the events).
lab_trace_stop_raw() {
    lab_tp_tracefs=$1 lab_tp_instance=$2 lab_tp_pidfile=$3 lab_tp_raw=$4 lab_tp_stats=$5
    lab_write "$lab_tp_instance/tracing_on" 0
    : > "$lab_tp_raw/.stop"
    lab_tp_pid=$(lab_pidfile_pid "$lab_tp_pidfile") lab_tp_tries=0
    while [ -n "$lab_tp_pid" ] && lab_alive "$lab_tp_pid" && [ "$lab_tp_tries" -lt 300 ]; do
        sleep 0.1 2>/dev/null || sleep 1; lab_tp_tries=$((lab_tp_tries + 1))
    done
    lab_stop_bg "$lab_tp_pidfile"
    rm -f "$lab_tp_raw/.stop"
    lab_tp_page=$(lab_subbuf_size "$lab_tp_instance") || return 1
    lab_tp_drained=no
    for lab_tp_cpu in "$lab_tp_instance"/per_cpu/cpu*; do
        lab_tp_out=$lab_tp_raw/${lab_tp_cpu##*/} lab_tp_reads=0 lab_tp_direct=no
        dd if=/dev/null of="$lab_tp_out" bs="$lab_tp_page" count=0 oflag=direct,append conv=notrunc 2>/dev/null \
            && lab_tp_direct=yes
        while [ "$lab_tp_reads" -lt 1000 ]; do
            lab_tp_entries=0 lab_tp_n=0
            while IFS=: read -r lab_tp_k lab_tp_v; do
                case $lab_tp_k in entries) lab_tp_entries=${lab_tp_v# } ;; bytes) lab_tp_n=${lab_tp_v# } ;; esac
            done < "$lab_tp_cpu/stats"
            [ "$lab_tp_entries" != 0 ] || break
            lab_tp_n=$((lab_tp_n / lab_tp_page)); [ "$lab_tp_n" -gt 0 ] || lab_tp_n=1
            # What the buffer holds, in one dd: a reader that fell behind can leave thousands of pages, and a process
            # per page took minutes under emulation. The stats' byte count can be more than the pages there are, and
            # a read of an empty buffer waits, hence the timeout; one page a write, so a read it stops loses nothing.
            if [ "$lab_tp_direct" = yes ]; then
                timeout 5 dd if="$lab_tp_cpu/trace_pipe_raw" of="$lab_tp_out" bs="$lab_tp_page" count="$lab_tp_n" \
                    oflag=direct,append conv=notrunc 2>/dev/null
            else
                timeout 5 dd if="$lab_tp_cpu/trace_pipe_raw" bs="$lab_tp_page" count="$lab_tp_n" 2>/dev/null \
                    >> "$lab_tp_out"
            fi
            lab_tp_reads=$((lab_tp_reads + 1)) lab_tp_drained=yes
        done
        cat "$lab_tp_cpu/stats" > "$lab_tp_raw/stats/${lab_tp_cpu##*/}" || return 1
    done
    # busybox's timeout leaves a watcher behind that looks for its command once a second: let it see dd is gone
    [ "$lab_tp_drained" != yes ] || sleep 1.2 2>/dev/null || sleep 2
    cat "$lab_tp_tracefs/saved_cmdlines" > "$lab_tp_raw/saved_cmdlines" 2>/dev/null
    lab_text_symbols "$lab_tp_raw/kallsyms"
    lab_trace_stats "$lab_tp_instance" > "$lab_tp_stats"
}

# lab_trace_stats INSTANCE: one line per CPU with the ring buffer's overrun and dropped-event counts,
# the events the kernel lost because nobody read them fast enough.
lab_trace_stats() {
    for lab_cpu in "$1"/per_cpu/cpu*; do
        lab_overrun=0 lab_dropped=0
        while IFS=: read -r lab_k lab_v; do
            case $lab_k in overrun) lab_overrun=${lab_v# } ;; "dropped events") lab_dropped=${lab_v# } ;; esac
        done < "$lab_cpu/stats"
        echo "${lab_cpu##*/} overrun=$lab_overrun dropped=$lab_dropped"
    done
}

# --- workloads ----------------------------------------------------------------------------------------------------

# lab_spawn LIST NAME COPY DIR PROCS SECONDS CMD...: start one workload copy in the background, in its own
# directory, inside the cgroup whose cgroup.procs is PROCS (none when empty), killed after SECONDS.
# A fresh sh writes its own pid ($$) to PROCS and then runs the workload, so the workload is in the
# cgroup from its first page on. A copy its timeout stopped exits 124 on every host: coreutils' timeout
# says 124, busybox's says 143 (SIGTERM), so a 143 that comes once the time is up is reported as 124.
lab_spawn() {
    lab_list=$1 lab_name=$2 lab_copy=$3 lab_dir=$4 lab_procs=$5 lab_secs=$6; shift 6
    mkdir -p "$lab_dir" || return 1
    # shellcheck disable=SC2016  # the script is for the inner sh, which expands it
    ( cd "$lab_dir" && exec sh -c 'if [ -n "$0" ]; then echo $$ > "$0" || { echo "lab: cannot join cgroup ($0)" >&2; exit 125; }; fi
        s=$1; shift; read -r t0 r < /proc/uptime; timeout "$s" "$@"; rc=$?
        if [ "$rc" -eq 143 ]; then read -r t1 r < /proc/uptime; [ "${t1%.*}" -lt $((${t0%.*} + s)) ] || rc=124; fi
        exit "$rc"' "$lab_procs" "$lab_secs" "$@" ) > "$lab_dir/output.log" 2>&1 &
    echo "$lab_name $lab_copy $!" >> "$lab_list"
}

# lab_workloads_begin LIST: an empty list of the iteration's workload copies (lab_spawn adds them), and when they
# started (/proc/uptime, in LIST.start): the report lines monitors and the trace up on it.
lab_workloads_begin() {
    : > "$1" || return 1
    read -r lab_wb_up _ < /proc/uptime
    echo "$lab_wb_up" > "$1.start"
}

# lab_reap LIST CSV: wait for every copy lab_spawn started; write workload,copy,exit,started,ended rows (started: the
# workloads' start, ended: when this copy was reaped, both /proc/uptime seconds); fail if any failed.
lab_reap() {
    lab_bad=0
    lab_reap_started=
    [ -r "$1.start" ] && read -r lab_reap_started < "$1.start"
    echo "workload,copy,exit,started,ended" > "$2"
    while read -r lab_name lab_copy lab_pid; do
        wait "$lab_pid"; lab_rc=$?
        read -r lab_reap_ended _ < /proc/uptime
        echo "$lab_name,$lab_copy,$lab_rc,$lab_reap_started,$lab_reap_ended" >> "$2"
        printf 'lab: workload %s copy %s exited %s\n' "$lab_name" "$lab_copy" "$lab_rc"
        [ "$lab_rc" -eq 0 ] || lab_bad=1
    done < "$1"
    return $lab_bad
}

# --- monitors -----------------------------------------------------------------------------------------------------

# lab_monitor_start PIDFILE ERR DIR INTERVAL SOURCES CGROUP...: lab_monitor in the background, detached from this
# session; lab_stop_bg PIDFILE stops it.
lab_monitor_start() {
    lab_ms_pidfile=$1 lab_ms_err=$2; shift 2
    # shellcheck disable=SC2016  # the script is for the inner sh, which expands it
    lab_bg "$lab_ms_pidfile" /dev/null "$lab_ms_err" sh -c '. "$0/lib.sh" && lab_monitor "$@"' "$LAB_J" "$@"
}

# lab_monitor DIR INTERVAL SOURCES CGROUP...: sample host monitors into CSV files until killed.
# SOURCES is a comma list of loadavg,cpu,psi,vmstat,memcg. Each CSV starts with a header row naming its columns
# (the orchestrator reads them by name). Timestamps are /proc/uptime seconds: every kernel has it, and it shares its
# origin with the trace clock closely enough to line monitors up with events.
lab_monitor() {
    lab_dir=$1 lab_interval=$2 lab_sources=",$3,"; shift 3
    mkdir -p "$lab_dir"
    case $lab_sources in *,loadavg,*) echo "uptime,load1,load5,load15,runnable,threads" > "$lab_dir/loadavg.csv" ;; esac
    case $lab_sources in *,cpu,*) echo "uptime,user,nice,system,idle,iowait,irq,softirq,steal" > "$lab_dir/cpu.csv" ;; esac
    case $lab_sources in *,psi,*)
        if [ -r /proc/pressure/memory ]; then
            echo "uptime,some_avg10,some_avg60,some_avg300,some_total_us,full_avg10,full_avg60,full_avg300,full_total_us" > "$lab_dir/psi.csv"
        else
            lab_sources=$(echo "$lab_sources" | sed 's/,psi,/,/')
        fi ;;
    esac
    case $lab_sources in *,vmstat,*) echo "uptime,counter,value" > "$lab_dir/vmstat.csv" ;; esac
    case $lab_sources in *,memcg,*) echo "uptime,cgroup,counter,value" > "$lab_dir/memcg.csv" ;; esac
    lab_awk=$(command -v awk 2>/dev/null)
    while :; do
        read -r lab_up _ < /proc/uptime
        case $lab_sources in *,loadavg,*)
            read -r lab_l1 lab_l5 lab_l15 lab_rt _ < /proc/loadavg
            echo "$lab_up,$lab_l1,$lab_l5,$lab_l15,${lab_rt%/*},${lab_rt#*/}" >> "$lab_dir/loadavg.csv" ;;
        esac
        case $lab_sources in *,cpu,*)
            read -r _ lab_u lab_n lab_s lab_i lab_w lab_q lab_sq lab_st _ < /proc/stat
            echo "$lab_up,$lab_u,$lab_n,$lab_s,$lab_i,$lab_w,$lab_q,$lab_sq,${lab_st:-0}" >> "$lab_dir/cpu.csv" ;;
        esac
        case $lab_sources in *,psi,*)
            lab_row=$lab_up
            while read -r _ lab_a10 lab_a60 lab_a300 lab_tot; do
                lab_row="$lab_row,${lab_a10#*=},${lab_a60#*=},${lab_a300#*=},${lab_tot#*=}"
            done < /proc/pressure/memory
            echo "$lab_row" >> "$lab_dir/psi.csv" ;;
        esac
        case $lab_sources in *,vmstat,*)
            # one awk rather than ~170 turns of a shell loop: under emulation the loop took ~20 s a sample
            if [ -n "$lab_awk" ]; then
                awk -v up="$lab_up" '{ print up "," $1 "," $2 }' /proc/vmstat >> "$lab_dir/vmstat.csv"
            else
                while read -r lab_k lab_v; do echo "$lab_up,$lab_k,$lab_v"; done < /proc/vmstat >> "$lab_dir/vmstat.csv"
            fi ;;
        esac
        case $lab_sources in *,memcg,*)
            for lab_cg in "$@"; do
                lab_name=${lab_cg#*/lab-*/}
                for lab_f in memory.stat memory.events; do
                    [ -r "$lab_cg/$lab_f" ] || continue
                    if [ -n "$lab_awk" ]; then
                        awk -v up="$lab_up" -v cg="$lab_name" '{ print up "," cg "," $1 "," $2 }' "$lab_cg/$lab_f"
                    else
                        while read -r lab_k lab_v; do echo "$lab_up,$lab_name,$lab_k,$lab_v"; done < "$lab_cg/$lab_f"
                    fi
                done >> "$lab_dir/memcg.csv"
                for lab_f in memory.current memory.usage_in_bytes memory.failcnt memory.swap.current; do
                    [ -r "$lab_cg/$lab_f" ] && read -r lab_v < "$lab_cg/$lab_f" && echo "$lab_up,$lab_name,$lab_f,$lab_v" >> "$lab_dir/memcg.csv"
                done
            done ;;
        esac
        sleep "$lab_interval"
    done
}

# --- kernel modules -----------------------------------------------------------------------------------------------

# lab_kmsg TEXT: a marker line in the kernel log ("lab: TEXT"), so the messages after it can be cut out later.
lab_kmsg() {
    [ -w /dev/kmsg ] && printf 'lab: %s\n' "$1" > /dev/kmsg 2>/dev/null
    return 0
}

# lab_dmesg_since TEXT: the kernel log from the first "lab: TEXT" marker on (all of it when there is none).
lab_dmesg_since() {
    dmesg 2>/dev/null | awk -v m="lab: $1" '!seen && index($0, m) { buf = ""; seen = 1 } { buf = buf $0 "\n" } END { printf "%s", buf }'
}

# lab_kmod_mark DIR MARKER: the iteration's module folder, and a marker in the kernel log where its messages start.
lab_kmod_mark() {
    mkdir -p "$1" && lab_kmsg "$2"
}

# lab_kmod_dmesg MARKER FILE: the kernel log of this iteration, from its marker on.
lab_kmod_dmesg() {
    lab_dmesg_since "$1" > "$2"
}

# lab_kmod_build SRC KO DEST: build the module whose source is in SRC against the running kernel's build tree and
# copy SRC/KO to DEST; the build's log stays in SRC/build.log, and its end is shown when the build fails.
lab_kmod_build() {
    if ! make -C "/lib/modules/$(uname -r)/build" M="$1" modules > "$1/build.log" 2>&1; then
        tail -n 30 "$1/build.log" >&2
        lab_die "building $2 failed (log: $1/build.log)"
    fi
    cp "$1/$2" "$3"
}

# lab_insmod KO MARKER PARAM...: load a module; when the kernel refuses it, say why in the module's own words
# (its kernel log lines since MARKER), since insmod itself only prints an errno. A module of the same name that is
# already loaded is someone else's: the step fails and leaves it alone.
lab_insmod() {
    lab_ko=$1 lab_mark=$2; shift 2
    lab_ko_name=${lab_ko##*/}
    lab_ko_name=${lab_ko_name%.ko}
    [ ! -d "/sys/module/$lab_ko_name" ] || lab_die "a module named $lab_ko_name is loaded already; lab loads only" \
        "its own and leaves that one alone"
    lab_kmsg "$lab_mark"
    if insmod "$lab_ko" "$@" 2> "$LAB_J/insmod.err"; then
        lab_proof "module $lab_ko_name" "$(lab_ident "/sys/module/$lab_ko_name")"
        return 0
    else
        lab_rc=$?
    fi
    cat "$LAB_J/insmod.err" >&2
    lab_say "insmod ${lab_ko##*/} failed; the kernel log says:"
    lab_dmesg_since "$lab_mark" | grep -v "lab: $lab_mark" | tail -n 20 >&2
    return $lab_rc
}

# lab_rmmod NAME: the undo of lab_insmod: unload the module its step loaded, if it is still that one.
lab_rmmod() {
    [ -d "/sys/module/$1" ] || return 0
    lab_proven "module $1" "$(lab_ident "/sys/module/$1")" || { lab_leave "module $1"; return 0; }
    lab_unload "$1"
}

# lab_unload NAME: unload a module of this run's (a step's normal end, not an undo), if it is loaded.
lab_unload() {
    [ -d "/sys/module/$1" ] || return 0
    rmmod "$1" || { lab_say "cannot unload module $1"; return 1; }
}

# lab_kmod_wait NAME: wait until the module's workers are done (its read-only 'running' parameter is 0).
lab_kmod_wait() {
    while [ "$(cat "/sys/module/$1/parameters/running" 2>/dev/null || echo 0)" != 0 ]; do
        sleep 0.2 2>/dev/null || sleep 1
    done
}

# lab_kcore_words BLOCK COUNT [FILE]: COUNT 32-bit words of kernel text from 4-byte block BLOCK of /proc/kcore (or
# FILE), in hex, separated by spaces ("aa1e03e9 d503201f").
lab_kcore_words() {
    dd if="${3:-/proc/kcore}" bs=4 skip="$1" count="$2" 2>/dev/null | od -An -v -tx4 | tr -s ' \n' '  ' \
        | sed 's/^ *//; s/ *$//'
}

# lab_patch_load KO MARKER INFO BEFORE AFTER BLOCK COUNT INFO-LINE... -- PARAM...: load the instruction-patching
# module with PARAMs. INFO gets the INFO-LINEs (point=, where=, expect=, replace=: what is patched, as the plan says
# it); when BLOCK is not empty, the COUNT words there are kept in BEFORE, and again in AFTER once the module is in.
# The module itself checks the expected words and refuses to load, writing nothing, when they differ.
lab_patch_load() {
    lab_pl_ko=$1 lab_pl_mark=$2 lab_pl_info=$3 lab_pl_before=$4 lab_pl_after=$5 lab_pl_block=$6 lab_pl_count=$7
    shift 7
    : > "$lab_pl_info" || return 1
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        printf '%s\n' "$1" >> "$lab_pl_info" || return 1
        shift
    done
    [ $# -gt 0 ] && shift
    [ -z "$lab_pl_block" ] || lab_kcore_words "$lab_pl_block" "$lab_pl_count" > "$lab_pl_before"
    lab_insmod "$lab_pl_ko" "$lab_pl_mark" "$@" || return 1
    [ -z "$lab_pl_block" ] || lab_kcore_words "$lab_pl_block" "$lab_pl_count" > "$lab_pl_after"
}

# lab_patch_unload NAME RESTORED BLOCK COUNT ORIGINAL WHERE: unload the patch module; when BLOCK is not empty, the
# COUNT words there must be ORIGINAL again (kept in RESTORED), else the kernel text at WHERE was not restored.
lab_patch_unload() {
    lab_unload "$1" || return 1
    [ -n "$3" ] || return 0
    lab_pu_now=$(lab_kcore_words "$3" "$4")
    printf '%s\n' "$lab_pu_now" > "$2"
    [ "$lab_pu_now" = "$5" ] || lab_die "kernel text at $6 is not restored: want $5, found $lab_pu_now"
}

# lab_stress_finish NAME STATUS SETTINGS: wait for the stress module's workers, keep SETTINGS and their counters
# (calls=, reclaimed=) in STATUS, then unload it.
lab_stress_finish() {
    lab_kmod_wait "$1"
    {
        printf '%s\n' "$3"
        for lab_sf_param in calls reclaimed; do
            printf '%s=%s\n' "$lab_sf_param" "$(cat "/sys/module/$1/parameters/$lab_sf_param" 2>/dev/null)"
        done
    } > "$2" || return 1
    lab_unload "$1"
}
