# lab's helper functions on a test host. POSIX sh only: hosts may have nothing but busybox.
# Installed as $LAB_J/lib.sh at the start of a run and sourced by every step, every undo entry and
# `lab cleanup`, so undo entries stay short and readable and still work after the orchestrator died.
#
# Journal layout ($LAB_J = /run/lab/<run-id>):
#   undo/<seq>-<name>.sh   one undo action per setup action, written BEFORE the action runs;
#                          replayed in reverse order, each removed once it succeeded
#   saved/<name>           old values (sysctls) that an undo entry puts back
#   owner                  who started the run (orchestrator host, pid, time)

lab_say() { printf 'lab: %s\n' "$*" >&2; }
lab_die() { lab_say "$*"; exit 1; }

# lab_journal NAME UNDO-SCRIPT: record how to undo the action about to happen; atomic (tmp + mv).
lab_journal() {
    mkdir -p "$LAB_J/undo" || lab_die "cannot create journal $LAB_J/undo"
    printf '%s\n' "$2" > "$LAB_J/undo/.$1.tmp" && mv "$LAB_J/undo/.$1.tmp" "$LAB_J/undo/$1.sh" \
        || lab_die "cannot write journal entry $1"
}

# lab_write FILE VALUE: write a control file, naming file and value when the kernel refuses.
lab_write() {
    printf '%s\n' "$2" > "$1" 2>/dev/null || lab_die "cannot write '$2' to $1"
}

# lab_save FILE NAME: keep FILE's current value in the journal, as NAME, so an undo entry can restore it.
lab_save() {
    mkdir -p "$LAB_J/saved" && cat "$1" > "$LAB_J/saved/$2" || lab_die "cannot save $1"
}

# lab_restore NAME FILE: put back what lab_save kept (the undo half of a sysctl change).
lab_restore() {
    [ -f "$LAB_J/saved/$1" ] || return 0
    cat "$LAB_J/saved/$1" > "$2" || return 1
    rm -f "$LAB_J/saved/$1"
}

# lab_rmcg DIR: remove a cgroup made by lab (children first), killing whatever still runs in it.
lab_rmcg() {
    [ -d "$1" ] || return 0
    for lab_child in "$1"/*/; do
        [ -d "$lab_child" ] && { lab_rmcg "${lab_child%/}" || return 1; }
    done
    lab_tries=0
    while ! rmdir "$1" 2>/dev/null; do
        for lab_pid in $(cat "$1/cgroup.procs" 2>/dev/null); do kill -KILL "$lab_pid" 2>/dev/null; done
        lab_tries=$((lab_tries + 1))
        [ "$lab_tries" -le 100 ] || { lab_say "cgroup $1 still busy"; return 1; }
        sleep 0.1 2>/dev/null || sleep 1
    done
}

# lab_bg PIDFILE OUT ERR CMD...: start CMD detached from this session (it outlives the SSH channel) and
# record its pid; lab_stop_bg undoes it.
lab_bg() {
    lab_pidfile=$1 lab_out=$2 lab_err=$3; shift 3
    setsid "$@" < /dev/null > "$lab_out" 2> "$lab_err" &
    echo $! > "$lab_pidfile"
}

# lab_rminstance DIR: remove a tracefs instance; its readers may need a moment to let go.
lab_rminstance() {
    lab_tries=0
    while [ -d "$1" ] && ! rmdir "$1" 2>/dev/null; do
        lab_tries=$((lab_tries + 1))
        [ "$lab_tries" -le 50 ] || { lab_say "tracefs instance $1 still busy"; return 1; }
        sleep 0.1 2>/dev/null || sleep 1
    done
}

# lab_swapoff_rm FILE: the undo of a lab swap file.
lab_swapoff_rm() {
    if grep -q "^$1 " /proc/swaps 2>/dev/null; then swapoff "$1" || return 1; fi
    rm -f "$1"
}

# lab_trace_stats INSTANCE: one line per CPU with the ring buffer's overrun and dropped-event counts,
# the events the kernel lost because nobody read them fast enough.
lab_trace_stats() {
    for lab_cpu in "$1"/per_cpu/cpu*; do
        lab_overrun=0 lab_dropped=0
        while IFS=: read lab_k lab_v; do
            case $lab_k in overrun) lab_overrun=${lab_v# } ;; "dropped events") lab_dropped=${lab_v# } ;; esac
        done < "$lab_cpu/stats"
        echo "${lab_cpu##*/} overrun=$lab_overrun dropped=$lab_dropped"
    done
}

# lab_spawn LIST NAME COPY DIR PROCS SECONDS CMD...: start one workload copy in the background, in its own
# directory, inside the cgroup whose cgroup.procs is PROCS (none when empty), killed after SECONDS.
# A fresh sh writes its own pid ($$) to PROCS and then runs the workload, so the workload is in the
# cgroup from its first page on. A copy its timeout stopped exits 124 on every host: coreutils' timeout
# says 124, busybox's says 143 (SIGTERM), so a 143 that comes once the time is up is reported as 124.
lab_spawn() {
    lab_list=$1 lab_name=$2 lab_copy=$3 lab_dir=$4 lab_procs=$5 lab_secs=$6; shift 6
    mkdir -p "$lab_dir" || return 1
    ( cd "$lab_dir" && exec sh -c 'if [ -n "$0" ]; then echo $$ > "$0" || { echo "lab: cannot join cgroup ($0)" >&2; exit 125; }; fi
        s=$1; shift; read t0 r < /proc/uptime; timeout "$s" "$@"; rc=$?
        if [ "$rc" -eq 143 ]; then read t1 r < /proc/uptime; [ "${t1%.*}" -lt $((${t0%.*} + s)) ] || rc=124; fi
        exit "$rc"' "$lab_procs" "$lab_secs" "$@" ) > "$lab_dir/output.log" 2>&1 &
    echo "$lab_name $lab_copy $!" >> "$lab_list"
}

# lab_reap LIST CSV: wait for every copy lab_spawn started; write workload,copy,exit rows; fail if any failed.
lab_reap() {
    lab_bad=0
    echo "workload,copy,exit" > "$2"
    while read lab_name lab_copy lab_pid; do
        wait "$lab_pid"; lab_rc=$?
        echo "$lab_name,$lab_copy,$lab_rc" >> "$2"
        printf 'lab: workload %s copy %s exited %s\n' "$lab_name" "$lab_copy" "$lab_rc"
        [ "$lab_rc" -eq 0 ] || lab_bad=1
    done < "$1"
    return $lab_bad
}

# lab_alive PID: the process runs (a zombie waiting for a slow init to reap it does not count).
lab_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    case $(cat "/proc/$1/stat" 2>/dev/null) in *") Z "*) return 1 ;; esac
}

# lab_stop_bg PIDFILE: stop a process started by lab_bg, if it still runs.
lab_stop_bg() {
    [ -f "$1" ] || return 0
    lab_pid=$(cat "$1")
    if [ -n "$lab_pid" ] && lab_alive "$lab_pid"; then
        # setsid made it a process group leader: signal the group, so a sampler's sleep ends too.
        kill -TERM -"$lab_pid" 2>/dev/null || kill -TERM "$lab_pid" 2>/dev/null
        lab_tries=0
        while lab_alive "$lab_pid" && [ "$lab_tries" -lt 50 ]; do
            sleep 0.1 2>/dev/null || sleep 1; lab_tries=$((lab_tries + 1))
        done
        kill -KILL -"$lab_pid" 2>/dev/null || kill -KILL "$lab_pid" 2>/dev/null
    fi
    rm -f "$1"
}

# lab_wait_quiet FILE: wait until FILE stops growing (a trace drainer has written all it read).
lab_wait_quiet() {
    lab_prev=-1 lab_tries=0
    while [ "$lab_tries" -lt 100 ]; do
        lab_size=$(wc -c < "$1" 2>/dev/null || echo 0)
        [ "$lab_size" = "$lab_prev" ] && return 0
        lab_prev=$lab_size lab_tries=$((lab_tries + 1))
        sleep 0.2 2>/dev/null || sleep 1
    done
}

# lab_teardown [AFTER]: replay the journal newest first, stopping at entry AFTER (exclusive; default: all).
# Entries that fail stay in the journal for `lab cleanup`; the exit status says whether any failed.
lab_teardown() {
    lab_after=${1:-0000}
    [ -d "$LAB_J/undo" ] || return 0
    lab_failed=0
    for lab_entry in $(ls -r "$LAB_J/undo"); do
        case "$lab_entry" in *.sh) ;; *) continue ;; esac
        lab_seq=${lab_entry%%-*}
        [ "$lab_seq" -gt "$lab_after" ] 2>/dev/null || continue
        if ( . "$LAB_J/undo/$lab_entry" ); then
            rm -f "$LAB_J/undo/$lab_entry"
            printf 'undone %s\n' "${lab_entry%.sh}"
        else
            lab_say "undo failed: ${lab_entry%.sh} (kept for lab cleanup)"
            lab_failed=1
        fi
    done
    return $lab_failed
}

# lab_finish: after a complete teardown, remove the journal itself (and /run/lab when it is empty).
lab_finish() {
    if [ -z "$(ls "$LAB_J/undo" 2>/dev/null)" ]; then
        rm -rf "$LAB_J"
        rmdir "${LAB_J%/*}" 2>/dev/null
        return 0
    fi
    lab_say "journal $LAB_J still has entries: $(ls "$LAB_J/undo" | tr '\n' ' ')"
    return 1
}

# lab_monitor DIR INTERVAL SOURCES CGROUP...: sample host monitors into CSV files until killed.
# SOURCES is a comma list of loadavg,cpu,psi,vmstat,memcg. Timestamps are /proc/uptime seconds: every
# kernel has it, and it shares its origin with the trace clock closely enough to line monitors up with events.
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
    while :; do
        read lab_up lab_rest < /proc/uptime
        case $lab_sources in *,loadavg,*)
            read lab_l1 lab_l5 lab_l15 lab_rt lab_rest < /proc/loadavg
            echo "$lab_up,$lab_l1,$lab_l5,$lab_l15,${lab_rt%/*},${lab_rt#*/}" >> "$lab_dir/loadavg.csv" ;;
        esac
        case $lab_sources in *,cpu,*)
            read lab_c lab_u lab_n lab_s lab_i lab_w lab_q lab_sq lab_st lab_rest < /proc/stat
            echo "$lab_up,$lab_u,$lab_n,$lab_s,$lab_i,$lab_w,$lab_q,$lab_sq,${lab_st:-0}" >> "$lab_dir/cpu.csv" ;;
        esac
        case $lab_sources in *,psi,*)
            lab_row=$lab_up
            while read lab_kind lab_a10 lab_a60 lab_a300 lab_tot; do
                lab_row="$lab_row,${lab_a10#*=},${lab_a60#*=},${lab_a300#*=},${lab_tot#*=}"
            done < /proc/pressure/memory
            echo "$lab_row" >> "$lab_dir/psi.csv" ;;
        esac
        case $lab_sources in *,vmstat,*)
            while read lab_k lab_v; do echo "$lab_up,$lab_k,$lab_v"; done < /proc/vmstat >> "$lab_dir/vmstat.csv" ;;
        esac
        case $lab_sources in *,memcg,*)
            for lab_cg in "$@"; do
                lab_name=${lab_cg#*/lab-*/}
                for lab_f in memory.stat memory.events; do
                    [ -r "$lab_cg/$lab_f" ] || continue
                    while read lab_k lab_v; do echo "$lab_up,$lab_name,$lab_k,$lab_v"; done < "$lab_cg/$lab_f"
                done >> "$lab_dir/memcg.csv"
                for lab_f in memory.current memory.usage_in_bytes memory.failcnt memory.swap.current; do
                    [ -r "$lab_cg/$lab_f" ] && echo "$lab_up,$lab_name,$lab_f,$(cat "$lab_cg/$lab_f")" >> "$lab_dir/memcg.csv"
                done
            done ;;
        esac
        sleep "$lab_interval"
    done
}

# --- kernel modules ---------------------------------------------------------------------------------------

# lab_kmsg TEXT: a marker line in the kernel log ("lab: TEXT"), so the messages after it can be cut out later.
lab_kmsg() {
    [ -w /dev/kmsg ] && printf 'lab: %s\n' "$1" > /dev/kmsg 2>/dev/null
    return 0
}

# lab_dmesg_since TEXT: the kernel log from the first "lab: TEXT" marker on (all of it when there is none).
lab_dmesg_since() {
    dmesg 2>/dev/null | awk -v m="lab: $1" '!seen && index($0, m) { buf = ""; seen = 1 } { buf = buf $0 "\n" } END { printf "%s", buf }'
}

# lab_insmod KO MARKER PARAM...: load a module; when the kernel refuses it, say why in the module's own words
# (its kernel log lines since MARKER), since insmod itself only prints an errno.
lab_insmod() {
    lab_ko=$1 lab_mark=$2; shift 2
    lab_kmsg "$lab_mark"
    insmod "$lab_ko" "$@" 2> "$LAB_J/insmod.err" && return 0
    lab_rc=$?
    cat "$LAB_J/insmod.err" >&2
    lab_say "insmod ${lab_ko##*/} failed; the kernel log says:"
    lab_dmesg_since "$lab_mark" | grep -v "lab: $lab_mark" | tail -n 20 >&2
    return $lab_rc
}

# lab_rmmod NAME: unload a module lab loaded, if it is still loaded (undo entries, lab cleanup).
lab_rmmod() {
    [ -d "/sys/module/$1" ] || return 0
    rmmod "$1" || { lab_say "cannot unload module $1"; return 1; }
}

# lab_kmod_wait NAME: wait until the module's workers are done (its read-only 'running' parameter is 0).
lab_kmod_wait() {
    while [ "$(cat "/sys/module/$1/parameters/running" 2>/dev/null || echo 0)" != 0 ]; do
        sleep 0.2 2>/dev/null || sleep 1
    done
}

