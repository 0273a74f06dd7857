# shellcheck shell=sh
# Kills the process tree rooted at $1 if $1 is still the process lab started: its command line carries the random
# token $2, so a recycled pid is left alone. With $3 = "children" the root itself is spared (lab's step shell, whose
# running command timed out). Every process found is stopped first so it cannot fork while we look for its
# children; the scan repeats until no new descendant turns up, then all of them get SIGKILL. POSIX sh, /proc and tr
# only, so it works under busybox.
root=$1; token=$2; spare=${3:-}
[ -r "/proc/$root/cmdline" ] || exit 0
case "$(tr '\000' ' ' < "/proc/$root/cmdline")" in *"$token"*) ;; *) exit 0;; esac
[ "$spare" = children ] || kill -STOP "$root" 2>/dev/null
tree=" $root "
more=1
while [ $more = 1 ]; do
    more=0
    for d in /proc/[0-9]*; do
        p=${d#/proc/}
        case "$tree" in *" $p "*) continue;; esac
        s=
        { read -r s < "$d/stat"; } 2>/dev/null || continue
        s=${s##*) }
        # shellcheck disable=SC2086 # the fields of stat are split on purpose: $2 is the parent's pid
        set -- $s
        case "$tree" in *" $2 "*) kill -STOP "$p" 2>/dev/null; tree="$tree$p "; more=1;; esac
    done
done
[ "$spare" = children ] && tree=${tree#" $root "}
# shellcheck disable=SC2086 # one pid per word
[ -n "${tree# }" ] && kill -KILL $tree 2>/dev/null
exit 0
