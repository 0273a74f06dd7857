#!/bin/sh
# A memcg reclaim storm on this machine for the profile tests: two writers in a memory cgroup of 32 MB write
# MB megabytes each (default 300) through the page cache, so the cgroup reclaims its own pages all the time.
# The cgroup and the files are removed on every exit. Run as root. Usage: memcg-storm.sh [MB]
set -eu
MB=${1:-300}
NAME=lab-profile-test-$$
if [ -d /sys/fs/cgroup/memory ]; then CG=/sys/fs/cgroup/memory/$NAME; else CG=/sys/fs/cgroup/$NAME; fi
DIR=/var/tmp/$NAME
cleanup() {
    rm -rf "$DIR"
    if [ -d "$CG" ]; then
        while read -r p; do echo "$p" > "$(dirname "$CG")/cgroup.procs" 2>/dev/null || true; done < "$CG/cgroup.procs"
        rmdir "$CG"
    fi
}
trap cleanup EXIT INT TERM
mkdir "$DIR" "$CG"
if [ -f "$CG/memory.limit_in_bytes" ]; then echo 32M > "$CG/memory.limit_in_bytes"; else echo 32M > "$CG/memory.max"; fi
for n in 1 2; do
    # the memcg may kill a writer when writeback lags behind; the storm has happened by then
    sh -c "echo \$\$ > $CG/cgroup.procs; exec dd if=/dev/zero of=$DIR/fill$n bs=1M count=$MB status=none" &
done
wait || true
