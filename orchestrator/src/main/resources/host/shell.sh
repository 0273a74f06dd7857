# shellcheck shell=sh
# lab's step shell: one long-lived sh on a host that runs the commands lab sends on its stdin, one after another,
# and frames their results, so a step costs a fork instead of an SSH session (sshd's login, a shell's start and
# sourcing lib.sh: ~100 ms each on loopback). POSIX sh only: dash, busybox ash and bash run it alike.
#
# $1  a random token (T below) that starts every frame, so nothing a command prints or reads can pass for one
# $2  shell text run once before the first command (e.g. sourcing the run's lib.sh); its failure ends the shell
#
# In (stdin), per command:   "T run SEQ MODE [tolerant]" line, the command's text as lines, "T end" line.
#   MODE "always" runs it and starts a new chain; "chained" runs it only if no command of the chain failed so far,
#   and reports it skipped otherwise, so lab can send a batch of steps without waiting and a failed step still stops
#   the ones after it. A "tolerant" command's failure does not break the chain (a workload's non-zero exit is a
#   result, and the steps after it stop the tracing). A "T bye" line or the end of input ends the shell.
# Out: "\nT ready PID" on stdout once $2 ran (PID: this shell's, whose children lab kills when a command times out);
#   then per command its stdout and stderr as they come, each ended by "\nT done SEQ STATUS" on the same stream
#   (STATUS: the exit code, or "skipped"). The newline before T is the shell's, not the command's.
#
# Each command runs in a subshell with stdin from /dev/null (its stdin here is the command stream), so its exit,
# cd and variables end with it.
lab_shell_t=$1
eval "$2" || { lab_shell_s=$?; printf '\n%s broken %s\n' "$lab_shell_t" "$lab_shell_s"; exit "$lab_shell_s"; }
printf '\n%s ready %s\n' "$lab_shell_t" "$$"
lab_shell_broken=
while IFS= read -r lab_shell_h; do
    case $lab_shell_h in
    "$lab_shell_t run "*) ;;
    "$lab_shell_t bye") exit 0 ;;
    *) continue ;;
    esac
    lab_shell_h=${lab_shell_h#"$lab_shell_t run "}
    lab_shell_seq=${lab_shell_h%% *}
    lab_shell_mode=${lab_shell_h#* }
    [ "${lab_shell_mode%% *}" = always ] && lab_shell_broken=
    lab_shell_c=
    while IFS= read -r lab_shell_l; do
        [ "$lab_shell_l" = "$lab_shell_t end" ] && break
        lab_shell_c="$lab_shell_c$lab_shell_l
"
    done
    if [ -n "$lab_shell_broken" ]; then
        lab_shell_s=skipped
    else
        (eval "$lab_shell_c") </dev/null
        lab_shell_s=$?
        [ "$lab_shell_s" = 0 ] || [ "${lab_shell_mode#* }" = tolerant ] || lab_shell_broken=1
    fi
    # Nobody to tell (the orchestrator died, its connection with it): stop here rather than run the commands still
    # waiting in the pipe; the host's watchdog undoes the run. SIGPIPE would end the shell anyway, unless ignored.
    printf '\n%s done %s %s\n' "$lab_shell_t" "$lab_shell_seq" "$lab_shell_s" >&2 || exit 1
    printf '\n%s done %s %s\n' "$lab_shell_t" "$lab_shell_seq" "$lab_shell_s" || exit 1
done
