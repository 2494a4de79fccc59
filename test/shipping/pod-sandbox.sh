#!/usr/bin/env bash
# Runs inside bubblewrap (test/shipping/pod-sandbox.ts) as uid 1000, root
# filesystem read-only, only /tmp writable, loopback only, with the dev
# overlay's pod environment; the working directory is the production layout.
# The pod's database is the Service "postgres": here a private PostgreSQL
# started in this same network namespace (the sandbox's /etc/hosts maps
# "postgres" to 127.0.0.1) with the credentials of the pod's Secret.
# Does what the pod does - migrate (the init container's command), serve,
# import a CSV from standard input (the README's kubectl exec recipe), SIGTERM
# - and prints one JSON line of what it saw.
# Usage: pod-sandbox.sh PG_BIN GRACE_SECONDS 'MIGRATE COMMAND' 'SERVE COMMAND' < passengers.csv
set -euo pipefail
pg_bin=$1 grace=$2 migrate_command=$3 serve_command=$4

pg=/tmp/postgres
mkdir -p "$pg"
printf '%s' "$PGPASSWORD" >"$pg/password"
"$pg_bin/initdb" -D "$pg/data" -U "$PGUSER" --auth=scram-sha-256 --pwfile="$pg/password" -E UTF8 --no-sync >"$pg/initdb.log" 2>&1
# mmap: dynamic shared memory in the data directory, not /dev/shm.
"$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 \
  -o "-p $PGPORT -k $pg -c listen_addresses=127.0.0.1 -c dynamic_shared_memory_type=mmap" start >/dev/null
"$pg_bin/createdb" "$PGDATABASE"

root_writable=false
if touch dist/written-by-the-service 2>/dev/null; then root_writable=true; fi
interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | paste -sd, -)

# shellcheck disable=SC2086 # the commands are words, as in the manifest
$migrate_command >/tmp/migrate.log 2>&1 && migrate=0 || migrate=$?

$serve_command >/tmp/server.log 2>&1 &
server=$!
readyz=
for _ in $(seq 1 60); do
  readyz=$(curl -fsS "http://127.0.0.1:$PORT/readyz" 2>/dev/null) && break
  sleep 0.5
done

import_output=$(node dist/bulk/import.js - --replace 2>&1) || import_output="exit $?: $import_output"
rows=$(curl -fsS "http://127.0.0.1:$PORT/passengerlist?limit=1000" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).length))')

# SIGTERM as the kubelet sends it; SIGKILL when the grace period runs out.
started=$(date +%s%N)
kill -TERM "$server"
(sleep "$grace"; kill -KILL "$server" 2>/dev/null) &
watchdog=$!
set +e
wait "$server"
exit_code=$?
set -e
exit_ms=$(( ($(date +%s%N) - started) / 1000000 ))
kill "$watchdog" 2>/dev/null || true
"$pg_bin/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null

SANDBOX_UID=$(id -u) ROOT_WRITABLE=$root_writable INTERFACES=$interfaces MIGRATE=$migrate READYZ=$readyz \
  IMPORT_OUTPUT=$import_output ROWS=$rows EXIT_CODE=$exit_code EXIT_MS=$exit_ms SERVER_LOG=$(tail -n 1 /tmp/server.log) node -e '
  const e = process.env;
  console.log(JSON.stringify({
    uid: Number(e.SANDBOX_UID), rootWritable: e.ROOT_WRITABLE === "true", interfaces: e.INTERFACES.split(","),
    migrate: Number(e.MIGRATE), readyz: e.READYZ, import: e.IMPORT_OUTPUT.replace(/ in [\d.]+ s .*$/s, ""),
    rows: Number(e.ROWS), exitCode: Number(e.EXIT_CODE), exitMs: Number(e.EXIT_MS), lastLogLine: e.SERVER_LOG,
  }));'
