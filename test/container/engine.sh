# Sourced by test/container/*.sh: a Docker engine of the test's own, and the cache it keeps.
#
# Everything lives in one cache directory outside the repository, keyed by
# nothing but its name, so every clone on this machine (CI's fresh ones
# included) reuses the same daemon data root: the assembled base images and
# the build's layer cache survive between runs.
CONTAINER_CACHE=${CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/passenger-api-container}
ENGINE_RUN=$CONTAINER_CACHE/run
export DOCKER_HOST=unix://$ENGINE_RUN/docker.sock
# Debian's CLI, the one that matches Debian's daemon (another `docker` may come first on PATH).
DOCKER=/usr/bin/docker
STARTED_ENGINE_PID=

docker() { "$DOCKER" "$@"; }

# Debian's packages, installed once (as .ci/run does for bubblewrap).
ensure_engine_packages() {
  local missing=()
  [ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || missing+=(docker.io)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return
  local as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# A daemon on our own socket and data root. No bridge and no iptables rules:
# every container uses the host's network, and the tests talk to 127.0.0.1 only.
start_engine() {
  if docker info >/dev/null 2>&1; then
    echo "engine: reusing the daemon already answering on $DOCKER_HOST"
    return
  fi
  mkdir -p "$ENGINE_RUN" "$CONTAINER_CACHE/data"
  /usr/sbin/dockerd --host "$DOCKER_HOST" --data-root "$CONTAINER_CACHE/data" --exec-root "$ENGINE_RUN/exec" \
    --pidfile "$ENGINE_RUN/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
    >"$ENGINE_RUN/dockerd.log" 2>&1 &
  STARTED_ENGINE_PID=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { echo "engine: started dockerd (pid $STARTED_ENGINE_PID) on $DOCKER_HOST"; return; }
    kill -0 "$STARTED_ENGINE_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "engine: dockerd did not come up; its log:" >&2
  tail -n 30 "$ENGINE_RUN/dockerd.log" >&2
  return 1
}

# Stops only the daemon this script started, by its pid.
stop_engine() {
  [ -n "$STARTED_ENGINE_PID" ] || return 0
  kill "$STARTED_ENGINE_PID" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$STARTED_ENGINE_PID" 2>/dev/null || { STARTED_ENGINE_PID=; return 0; }
    sleep 0.5
  done
  echo "engine: dockerd $STARTED_ENGINE_PID did not stop in 20 s" >&2
}
