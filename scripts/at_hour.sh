#!/usr/bin/env bash
# scripts/at_hour.sh HH:MM COMMAND [ARGUMENT...]
#
# Runs COMMAND with the wall clock of it and of every process it starts (behave, the Spanner
# emulator, the app, the browser) set BACK to the latest HH:MM UTC that has passed: today's if the
# real UTC time is past it, else yesterday's. The clock then runs on from there at its normal pace.
# `make behave-la-evening` runs `make behave` at 03:30 UTC, when Los Angeles (Spanner's
# CURRENT_DATE()) is still on the day before UTC's.
#
# How: libfaketime (Debian's package `faketime`), preloaded into every process through
# LD_PRELOAD, with
#   FAKETIME=-<seconds>  a relative offset, computed once here: every process, whenever it starts,
#                        sees the same faked time. ('@YYYY-MM-DD hh:mm:ss' restarts the clock at
#                        that moment in each new process, so the emulator and the app, started
#                        later, would lag behind behave; and going forward hangs the emulator.)
#   NO_FAKE_STAT=1       file times stay real: the files are shared with runs that are not shifted
#   FAKETIME_SKIP_CMDS=make  make keeps the real clock: it compares it with those file times
#                        (shifted, it warns "Clock skew detected"); what make runs is shifted
# and without FAKETIME_DONT_FAKE_MONOTONIC, which would leave the monotonic clock real but breaks
# every absolute sleep on it (Python's time.sleep fails with EINVAL under libfaketime 0.9.10).
#
# The library is $LIBFAKETIME, else /usr/lib/*/faketime/libfaketime.so.1 (or /usr/lib/faketime/,
# /usr/local/lib/faketime/). The run is bounded by AT_HOUR_TIMEOUT seconds (default 1800) of real
# time; SIGINT, SIGTERM and SIGHUP reach the whole run. Exit status: COMMAND's, 124 when it ran out
# of time, 2 when it could not be started (no libfaketime, a malformed hour).
set -euo pipefail

say() { echo "at_hour: $*" >&2; }

if [[ $# -lt 2 || ! $1 =~ ^([01][0-9]|2[0-3]):([0-5][0-9])$ ]]; then
    say "usage: $0 HH:MM COMMAND [ARGUMENT...]   (HH:MM in UTC, 00:00 to 23:59)"
    exit 2
fi
hour=$1
shift
limit=${AT_HOUR_TIMEOUT:-1800}
if [[ ! $limit =~ ^[1-9][0-9]*$ ]]; then
    say "AT_HOUR_TIMEOUT must be a whole number of seconds, not '$limit'"
    exit 2
fi
if [[ -n ${FAKETIME:-} || -n ${FAKETIME_SHARED:-} ]]; then
    say "already running under libfaketime (FAKETIME=${FAKETIME:-}); run it from a real clock"
    exit 2
fi

# -- libfaketime ------------------------------------------------------------------------------
missing="the Debian package faketime brings it: sudo apt-get install -y faketime (as root, \`make setup\` installs it)"
if [[ -n ${LIBFAKETIME:-} ]]; then
    library=$LIBFAKETIME
    if [[ ! -f $library ]]; then
        say "no libfaketime at LIBFAKETIME=$library; $missing"
        exit 2
    fi
else
    library=
    for candidate in /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 \
        /usr/local/lib/faketime/libfaketime.so.1; do
        if [[ -f $candidate ]]; then
            library=$candidate
            break
        fi
    done
    if [[ -z $library ]]; then
        say "libfaketime is not installed (no /usr/lib/*/faketime/libfaketime.so.1): $missing"
        exit 2
    fi
fi

# -- the offset: back to the latest HH:MM UTC that has passed ---------------------------------
now=$(date -u +%s)
target=$(date -u -d "$(date -u -d "@$now" +%F) $hour:00" +%s)
if ((target > now)); then
    target=$((target - 86400))
fi
offset=$((now - target))
faked_env=(
    "LD_PRELOAD=$library${LD_PRELOAD:+:$LD_PRELOAD}"
    "FAKETIME=-$offset"
    "NO_FAKE_STAT=1"
    "FAKETIME_SKIP_CMDS=make"
)
# settings of libfaketime from the caller's environment that would change the above
unset_env=(-u FAKETIME_DONT_FAKE_MONOTONIC -u DONT_FAKE_MONOTONIC -u FAKETIME_ONLY_CMDS
    -u FAKETIME_TIMESTAMP_FILE -u FAKETIME_START_AFTER_SECONDS -u FAKETIME_STOP_AFTER_SECONDS
    -u FAKETIME_START_AFTER_NUMCALLS -u FAKETIME_STOP_AFTER_NUMCALLS)

# the preload must work before anything runs under it: `date -u` must say the target minute
expected=$(date -u -d "@$target" '+%F %H:%M')
next=$(date -u -d "@$((target + 60))" '+%F %H:%M')
seen=$(env "${unset_env[@]}" "${faked_env[@]}" date -u '+%F %H:%M')
if [[ $seen != "$expected" && $seen != "$next" ]]; then
    say "$library did not set the clock back: \`date -u\` under it says $seen, not $expected"
    exit 2
fi
say "every clock set back $((offset / 3600))h $((offset % 3600 / 60))m $((offset % 60))s" \
    "(FAKETIME=-$offset): it is $expected UTC," \
    "$(TZ=America/Los_Angeles date -d "@$target" '+%F %H:%M') in Los Angeles; running: $*"

# -- the run ----------------------------------------------------------------------------------
# timeout leads a process group of its own and passes a signal it gets to that whole group; the
# command's first process writes its pid (it is the one that creates libfaketime's shared memory,
# /dev/shm/faketime_shm_<pid>, which a process killed by a signal leaves behind)
pid_file=$(mktemp "${TMPDIR:-/tmp}/at_hour.XXXXXX")
cleanup() {
    local pid
    pid=$(cat "$pid_file" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]]; then
        rm -f "/dev/shm/faketime_shm_$pid" "/dev/shm/sem.faketime_sem_$pid"
    fi
    rm -f "$pid_file"
}
trap cleanup EXIT

timeout --kill-after=30 "$limit" \
    bash -c 'echo $$ >"$0"; exec env "$@"' "$pid_file" "${unset_env[@]}" "${faked_env[@]}" "$@" &
child=$!
trap 'kill -s INT "$child" 2>/dev/null || true' INT
trap 'kill -s TERM "$child" 2>/dev/null || true' TERM HUP

status=0
wait "$child" || status=$?
while kill -0 "$child" 2>/dev/null; do # a signal ended the wait, not the run: wait on
    status=0
    wait "$child" || status=$?
done
if ((status == 124)); then
    say "gave up after $limit s (AT_HOUR_TIMEOUT): $*"
fi
exit "$status"
