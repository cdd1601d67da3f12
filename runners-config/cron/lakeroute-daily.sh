#!/usr/bin/env bash
# A daily lakeroute run for cron: one run at a time per lock, retries only what is worth retrying.
#
#   LAKEROUTE_LOCK   lock file; runs sharing it never overlap (default: /tmp/lakeroute-<user>.lock)
#   LAKEROUTE_TRIES  attempts when a run exits 75 (a connection lost mid-run), default 3
#   LAKEROUTE_WAIT   seconds between attempts, doubled each time, default 60
#   JAVA_OPTS        JVM options, default -Xmx2g
# Every other argument goes to lakeroute, e.g. @/etc/lakeroute/customers.args --logicalDate=…
# Without --logicalDate the run is for today (UTC). Exit status: lakeroute's (docs/operations.md,
# "Exit codes"); 75 as well when the previous run still holds the lock.
set -uo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${LAKEROUTE_JAR:-$here/pipelines/target/lakeroute.jar}"
lock="${LAKEROUTE_LOCK:-/tmp/lakeroute-$(id -un).lock}"
tries="${LAKEROUTE_TRIES:-3}"
wait="${LAKEROUTE_WAIT:-60}"

exec 9>"$lock"
if ! flock -n 9; then
  echo "lakeroute-daily: $lock is held by a run still in progress; not starting another" >&2
  exit 75
fi

for ((attempt = 1; ; attempt++)); do
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:--Xmx2g} -jar "$jar" "$@"
  status=$?
  if [ "$status" -ne 75 ] || [ "$attempt" -ge "$tries" ]; then
    exit "$status"
  fi
  echo "lakeroute-daily: attempt $attempt lost a connection (exit 75); retrying in ${wait}s" >&2
  sleep "$wait"
  wait=$((wait * 2))
done
