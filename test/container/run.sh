#!/usr/bin/env bash
# npm run test:container: the image, the compose stack and the publish step
# with a real engine, as an operator runs them (docs/operations.md "Container test").
# Debian's docker.io daemon of our own (engine.sh), the two base images
# assembled under their names (bases.sh), the Dockerfile built unchanged with
# the legacy builder, then: a plain run, a run under the pod's constraints with
# a named volume, a stop during start-up, compose up/down (host-network copy of
# the compose file), and a push to / pull by digest from a local registry.
# Every container uses the host network; every request goes to 127.0.0.1.
set -euo pipefail
started=$SECONDS
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=test/container/bases.sh
source "$here/bases.sh"

IMAGE=passenger-api:container-test
PORT=18080
REGISTRY_PORT=18050
work=$(mktemp -d)
registry_pid=
containers=()

step() { printf '\n--- %s (%d s)\n' "$*" "$((SECONDS - started))"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

cleanup() {
  local status=$?
  for c in "${containers[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
  (cd "$here" && docker-compose -p passenger-container-test --env-file "$work/.env" -f docker-compose.host.yml down -v >/dev/null 2>&1) || true
  docker volume rm -f passenger-container-test-data >/dev/null 2>&1 || true
  [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
  stop_engine
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# GET a URL until it answers 2xx or `tries` half-seconds have passed.
wait_for() { # url tries
  for _ in $(seq 1 "$2"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  return 1
}

run_detached() { # docker run arguments…
  local id
  id=$(docker run -d --network host -e HOST=127.0.0.1 -e PORT=$PORT "$@")
  containers+=("$id")
  echo "$id"
}

exit_code() { docker inspect --format '{{.State.ExitCode}}' "$1"; }

step "engine and base images"
ensure_engine_packages
start_engine
ensure_bases

step "build the Dockerfile unchanged (legacy builder)"
build_started=$SECONDS
DOCKER_BUILDKIT=0 docker build -q --network host -t "$IMAGE" "$root" >/dev/null
image_bytes=$(docker image inspect --format '{{.Size}}' "$IMAGE")
base_bytes=$(docker image inspect --format '{{.Size}}' "$NODE_IMAGE")
echo "built in $((SECONDS - build_started)) s: $((image_bytes / 1000000)) MB, $(((image_bytes - base_bytes) / 1000000)) MB over the base"
[ $((image_bytes - base_bytes)) -le 40000000 ] || fail "the image adds more than 40 MB to its base"
docker run --rm --entrypoint node "$IMAGE" -e "
  const fs = require('node:fs');
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(d + '/' + e.name) : [d + '/' + e.name]);
  const junk = walk('dist').filter((f) => /\.map$|tsbuildinfo/.test(f));
  if (junk.length || fs.existsSync('/usr/local/lib/node_modules/npm')) { console.error('dist junk or npm in the image:', junk); process.exit(1); }"

step "plain run: embedded database in the declared volume"
plain=$(run_detached "$IMAGE")
wait_for "http://127.0.0.1:$PORT/readyz" 180 || { docker logs "$plain"; fail "plain run never became ready"; }
[ "$(curl -fsS "http://127.0.0.1:$PORT/passengerlist" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')" = 12 ] ||
  fail "plain run does not serve the demo passengers"
docker stop "$plain" >/dev/null
[ "$(exit_code "$plain")" = 0 ] || fail "plain run exited $(exit_code "$plain") on docker stop"
echo "served the demo rows; docker stop: exit 0"

# The pod's 384 MB limit is for the PostgreSQL-backed service; the embedded
# database's first start peaks above 800 MB (docs/operations.md "Embedded database memory").
step "pod constraints (uid 1000, read-only root, tmpfs /tmp, no capabilities, no-new-privileges) with a named volume"
pod=(--read-only --tmpfs /tmp --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges --memory 1g
  -v passenger-container-test-data:/app/.data)
first=$(run_detached "${pod[@]}" "$IMAGE")
wait_for "http://127.0.0.1:$PORT/readyz" 180 || { docker logs "$first"; fail "pod run never became ready"; }
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/postpassenger" \
  -d '{"survived":true,"passengerClass":2,"name":"Container Volume Test","sex":"female","age":30,"siblingsOrSpousesAboard":0,"parentsOrChildrenAboard":0,"fare":10}'
docker stop "$first" >/dev/null
second=$(run_detached "${pod[@]}" "$IMAGE")
wait_for "http://127.0.0.1:$PORT/readyz" 180 || { docker logs "$second"; fail "second pod run never became ready"; }
curl -fsS "http://127.0.0.1:$PORT/passengerlist" | grep -q 'Container Volume Test' || fail "the named volume lost a posted row"
docker stop "$second" >/dev/null
echo "a posted row survived a new container on the volume"

step "read-only root without a writable place: one line naming the cause"
# /home/node belongs to uid 1000: only the read-only root stops it.
line=$(docker run --rm --network host --read-only -e PGLITE_DATA_DIR=/home/node/pglite -e PORT=$PORT "$IMAGE" 2>&1 | grep '^passenger-api:' || true)
echo "$line"
case "$line" in
  *"PGLITE_DATA_DIR /home/node/pglite cannot be created or written (/home/node: read-only file system)"*"DATABASE_URL or PG*"*) ;;
  *) fail "no start-up line naming the read-only file system" ;;
esac
line=$(docker run --rm --network host -e PGLITE_DATA_DIR=/srv/pglite -e PORT=$PORT "$IMAGE" 2>&1 | grep '^passenger-api:' || true)
echo "$line"
case "$line" in
  *"(/srv: permission denied for uid 1000)"*) ;;
  *) fail "no start-up line naming the permission" ;;
esac

step "docker stop during start-up (first initdb)"
early=$(run_detached "$IMAGE")
sleep 1
stop_started=$(date +%s%N)
docker stop "$early" >/dev/null
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
echo "docker stop took ${stop_ms} ms, exit $(exit_code "$early")"
[ "$(exit_code "$early")" = 143 ] || { docker logs "$early"; fail "expected exit 143 (stopped by SIGTERM), not SIGKILL's 137"; }

step "local registry: push the version and commit tags, pull and run by digest"
mkdir -p "$work/registry"
cat >"$work/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: 127.0.0.1:$REGISTRY_PORT
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
wait_for "http://127.0.0.1:$REGISTRY_PORT/v2/" 20 || fail "registry did not start"
version=$(node -p "require('$root/package.json').version")
commit=$(git -C "$root" rev-parse HEAD)
repo=127.0.0.1:$REGISTRY_PORT/passenger-api
for tag in "$version" "$commit"; do
  docker tag "$IMAGE" "$repo:$tag"
  docker push "$repo:$tag" >"$work/push.log"
done
digest=$(sed -n 's/.*digest: \(sha256:[0-9a-f]*\).*/\1/p' "$work/push.log")
[ -n "$digest" ] || fail "no digest in the push output"
pushed=$(curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:$REGISTRY_PORT/v2/passenger-api/manifests/$digest" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log(m.layers.reduce((n,l)=>n+l.size,0))})')
docker rmi "$repo:$version" "$repo:$commit" >/dev/null
docker pull "$repo@$digest" >/dev/null
by_digest=$(run_detached -e PGLITE_DATA_DIR=memory:// "$repo@$digest")
wait_for "http://127.0.0.1:$PORT/hello" 60 || fail "the image pulled by digest did not serve"
docker stop "$by_digest" >/dev/null
echo "pushed $version and $commit ($digest), compressed push size $((pushed / 1000000)) MB; pulled and ran by digest"

step "compose: up, migrate once, restart keeps a row, outage 503 + Retry-After, down"
# The copy must match the user's file but for the host network and its ports.
node -e '
  const { readFileSync } = require("node:fs");
  const { parse } = require(process.argv[1] + "/node_modules/yaml");
  const strip = (file) => {
    const doc = parse(readFileSync(file, "utf8"), { merge: true });
    for (const service of Object.values(doc.services)) {
      for (const key of ["network_mode", "extra_hosts", "ports", "build", "healthcheck"]) delete service[key];
      for (const key of ["PGPORT", "PORT", "HOST"]) delete (service.environment ?? {})[key];
    }
    return JSON.stringify(doc);
  };
  if (strip(process.argv[1] + "/docker-compose.yml") !== strip(process.argv[2])) process.exit(1);
' "$root" "$here/docker-compose.host.yml" || fail "test/container/docker-compose.host.yml has drifted from docker-compose.yml"
sed 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=container-test-password/' "$root/.env.example" >"$work/.env"
compose() { (cd "$here" && docker-compose -p passenger-container-test --env-file "$work/.env" -f docker-compose.host.yml "$@"); }
compose_started=$SECONDS
# The image built above is the one compose would build (the same Dockerfile and
# context); Debian's docker-compose 1.29 builds off the host network, where
# npm ci has no DNS.
docker tag "$IMAGE" passenger-api:local
compose up -d >"$work/compose.log" 2>&1 || { cat "$work/compose.log"; fail "compose up failed"; }
api=http://127.0.0.1:18052
wait_for "$api/readyz" 120 || { compose logs; fail "compose api never became ready"; }
echo "compose up: ready in $((SECONDS - compose_started)) s"
[ "$(docker inspect --format '{{.State.ExitCode}}' "$(compose ps -q migrate)")" = 0 ] || fail "migrate did not exit 0"
curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' "$api/postpassenger" \
  -d '{"survived":false,"passengerClass":3,"name":"Compose Restart Test","sex":"male","age":40,"siblingsOrSpousesAboard":0,"parentsOrChildrenAboard":0,"fare":8}'
compose restart api >/dev/null 2>&1
wait_for "$api/readyz" 60 || fail "api did not come back after restart"
curl -fsS "$api/passengerlist" | grep -q 'Compose Restart Test' || fail "restart api lost a posted row"
compose stop postgres >/dev/null 2>&1
headers=$(curl -sS -D - -o /dev/null "$api/passengerlist" || true)
echo "$headers" | grep -q '^HTTP/1.1 503' || fail "no 503 with postgres stopped: $headers"
echo "$headers" | grep -qi '^Retry-After: 1' || fail "no Retry-After on the 503"
compose start postgres >/dev/null 2>&1
wait_for "$api/passengerlist" 60 || fail "api did not recover after postgres came back"
# docs/operations.md "Back up and restore", the compose block, as written (compose's own project and file).
recipe=$(awk '/^<!-- compose-backup-restore -->/ { found = 1; next } found && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside' "$root/docs/operations.md")
[ -n "$recipe" ] || fail "docs/operations.md has no compose backup/restore block"
(cd "$work" && eval "${recipe//docker compose/compose}") >"$work/recipe.log" 2>&1 || { cat "$work/recipe.log"; fail "the compose backup/restore recipe of docs/operations.md failed"; }
wait_for "$api/readyz" 60 || fail "api did not come back after the restore"
curl -fsS "$api/passengerlist" | grep -q 'Compose Restart Test' || fail "the restore lost a posted row"
echo "docs/operations.md compose backup/restore: $(cat "$work/passenger.count") rows dumped and restored"
# docs/operations.md "Load data", the compose recipe, as written, with the project's data set.
import_recipe=$(sed -n 's/^ *\(docker compose exec -T api node dist\/bulk\/import\.js - .*< titanic\.csv\)$/\1/p' "$root/docs/operations.md")
[ -n "$import_recipe" ] || fail "docs/operations.md has no compose import recipe"
cp "$root/data/titanic.csv" "$work/titanic.csv"
(cd "$work" && eval "${import_recipe//docker compose/compose}") >"$work/import.log" 2>&1 || { cat "$work/import.log"; fail "the compose import recipe of docs/operations.md failed"; }
imported=$(curl -fsS "$api/passengerlist" | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).length))')
[ "$imported" = 887 ] || fail "the compose import recipe left $imported rows, not 887"
echo "docs/operations.md compose import: $imported rows"
compose down -v >/dev/null 2>&1 || fail "compose down failed"
echo "compose: healthy, migrate exited 0, a row kept across restart, 503 + Retry-After during the outage, recovered, backup/restore, import, down"

echo
echo "container test: passed in $((SECONDS - started)) s (image $((image_bytes / 1000000)) MB, +$(((image_bytes - base_bytes) / 1000000)) MB over the base, compressed push $((pushed / 1000000)) MB)"
