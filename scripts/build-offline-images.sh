#!/usr/bin/env bash
# Builds, with no image registry, local images equivalent to the harness's default public images, and records
# their names in .harness/images.env so that a plain `harness up --stack containers` uses them.
#   1. Makes sure a container engine answers: Docker, or Podman's Docker-compatible API (started here, detached,
#      when no socket answers; it is left running for the harness).
#   2. One Debian bookworm base (mmdebstrap + import) holding PostgreSQL 15, Redis 7, Prometheus 2, the
#      Pushgateway 1; rebuilt only when its package list changes.
#   3. Small images FROM that base per service (stack/containers/offline/*/Containerfile), a Node 24 image made
#      from this machine's Node binary, and the reference API from reference-api/Dockerfile (host network for npm ci).
# Idempotent: when everything exists it only re-checks the layers (cache hits) and takes seconds.
# Environment: MYSTOCKS_IMAGE_PREFIX (localhost/mystocks), MYSTOCKS_IMAGES_FILE (.harness/images.env, the file
# stack/containers/images.ts reads), CONTAINER_CLI (podman), SKIP_API_IMAGE=1, DEBIAN_MIRROR (deb.debian.org).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PREFIX=${MYSTOCKS_IMAGE_PREFIX:-localhost/mystocks}
CLI=${CONTAINER_CLI:-podman}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
OFFLINE=$ROOT/stack/containers/offline
STATE=$ROOT/.harness
BASE_PACKAGES=(ca-certificates postgresql-15 redis-server prometheus prometheus-pushgateway libstdc++6 passwd util-linux)

say() { printf '[images] %s\n' "$*"; }
die() { say "$*" >&2; exit 1; }
t0=$SECONDS

# --- the engine ---------------------------------------------------------------------------------------------
socket_answers() { # $1: unix socket path
  [ -S "$1" ] && curl -fsS --max-time 3 --unix-socket "$1" http://d/_ping >/dev/null 2>&1
}

podman_socket_path() {
  if [ "$(id -u)" = 0 ]; then echo /run/podman/podman.sock; else echo "${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/podman/podman.sock"; fi
}

ensure_podman_config() {
  # runc and no default ulimits: crun and the default ulimits fail in this kind of sandbox (MACHINE.md).
  if [ "$(id -u)" = 0 ] && ! grep -qs 'runtime = "runc"' /etc/containers/containers.conf; then
    mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' > /etc/containers/containers.conf
    say "wrote /etc/containers/containers.conf (runtime runc, no default ulimits)"
  fi
}

ensure_engine() {
  if [ -n "${DOCKER_HOST:-}" ] && [[ $DOCKER_HOST == unix://* ]] && socket_answers "${DOCKER_HOST#unix://}"; then
    say "engine: DOCKER_HOST=$DOCKER_HOST answers"; return
  fi
  if [ "$CLI" = docker ]; then
    docker info >/dev/null 2>&1 || die "CONTAINER_CLI=docker but no Docker engine answers"
    return
  fi
  command -v podman >/dev/null || die "neither Docker nor Podman found: run scripts/setup.sh (installs podman, runc, mmdebstrap)"
  ensure_podman_config
  local sock; sock=$(podman_socket_path)
  # A service whose working directory was deleted (it was started from a clone since removed) still answers
  # _ping, but every container it starts fails with "HTTP 500 exit status 1": stop it and start a new one.
  local pid
  for pid in $(pgrep -f "podman system service .*unix://$sock" || true); do
    if [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == *" (deleted)" ]]; then
      say "the Podman API service (pid $pid) runs in a deleted folder: restarting it"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done
  if socket_answers "$sock"; then say "engine: Podman API answers on unix://$sock"; return; fi
  mkdir -p "$(dirname "$sock")" "$STATE"
  rm -f "$sock"
  say "starting the Podman API service on unix://$sock (log: .harness/podman-service.log)"
  # Detached in its own session, so it outlives this script and a terminal's Ctrl-C; --time=0: never idles out.
  # Run from /, not this clone: the service outlives the clone, and the processes it starts for each container
  # run in its folder.
  (
    cd / || exit 1
    setsid nohup podman system service --time=0 "unix://$sock" >>"$STATE/podman-service.log" 2>&1 </dev/null &
  )
  for _ in $(seq 1 100); do socket_answers "$sock" && { say "engine: Podman API answers on unix://$sock"; return; }; sleep 0.1; done
  die "the Podman API service did not answer on $sock within 10 s; see $STATE/podman-service.log"
}

image_exists() { "$CLI" image inspect "$1" >/dev/null 2>&1; }

# --- the base ----------------------------------------------------------------------------------------------
build_base() {
  local hash; hash=$(printf '%s\n' "${BASE_PACKAGES[@]}" "v1" | sha256sum | cut -c1-12)
  BASE_IMAGE=$PREFIX/base:bookworm-$hash
  if image_exists "$BASE_IMAGE"; then say "base $BASE_IMAGE exists"; return; fi
  command -v mmdebstrap >/dev/null || die "mmdebstrap not found: run scripts/setup.sh"
  local tmp; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  say "building the Debian base with mmdebstrap (about a minute): ${BASE_PACKAGES[*]}"
  local t=$SECONDS
  # The hook's "$1" is mmdebstrap's (the new root), expanded by the shell it runs the hook in, not by this one.
  # shellcheck disable=SC2016
  mmdebstrap --quiet --variant=minbase --include="$(IFS=,; echo "${BASE_PACKAGES[*]}")" \
    --aptopt='APT::Install-Recommends "false"' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --customize-hook='rm -rf "$1"/var/lib/postgresql/15/main "$1"/etc/postgresql/15/main "$1"/var/cache/apt/*.bin "$1"/var/lib/apt/lists/*' \
    bookworm "$tmp/base.tar" "$MIRROR"
  "$CLI" import --change 'CMD ["/bin/bash"]' "$tmp/base.tar" "$BASE_IMAGE" >/dev/null
  say "base $BASE_IMAGE built in $((SECONDS - t)) s"
}

# --- per-service images ----------------------------------------------------------------------------------------
build_service() { # $1: directory under stack/containers/offline, $2: image name, $3: optional context dir
  local dir=$OFFLINE/$1 name=$2 context=${3:-$OFFLINE/$1}
  "$CLI" build --quiet --format docker --build-arg "BASE=$BASE_IMAGE" -f "$dir/Containerfile" -t "$name" "$context" >/dev/null
  say "image $name"
}

build_node() {
  local node_bin npm_dir tmp
  node_bin=$(readlink -f "$(command -v node)")
  "$node_bin" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' \
    || die "node on PATH ($node_bin) is older than 22: run scripts/setup.sh"
  npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  [ -f "$npm_dir/package.json" ] || die "cannot find npm's package directory (from $(command -v npm))"
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' RETURN
  cp "$node_bin" "$tmp/node"
  cp -r "$npm_dir" "$tmp/npm"
  cp "$OFFLINE/node/Containerfile" "$tmp/Containerfile"
  # Tag by Node version, so a new Node on the host gives a new image rather than a stale cache hit.
  NODE_IMAGE=$PREFIX/node:24
  "$CLI" build --quiet --format docker --build-arg "BASE=$BASE_IMAGE" -t "$NODE_IMAGE" "$tmp" >/dev/null
  say "image $NODE_IMAGE (node $("$node_bin" --version), npm $(node -p "require('$npm_dir/package.json').version"))"
}

build_api() {
  API_IMAGE=$PREFIX/api:dev
  if [ "${SKIP_API_IMAGE:-}" = 1 ]; then say "SKIP_API_IMAGE=1: no API image"; API_IMAGE=; return; fi
  if [ ! -f reference-api/src/server.ts ]; then say "reference-api/src/server.ts missing: no API image yet"; API_IMAGE=; return; fi
  # The pages are built on the host when missing (node_modules is here), so the image build skips its dev install.
  local web_args=()
  if [ -f reference-api/web/vite.config.ts ] && [ ! -f reference-api/web/dist/index.html ]; then
    say "building the web pages (npm run build:web)"
    if ! npm run --silent build:web >"$STATE/build-web.log" 2>&1; then
      say "WARNING: npm run build:web failed (see .harness/build-web.log): the API image serves no pages"
      web_args=(--build-arg SKIP_WEB=1)
    fi
  fi
  # A TLS-intercepting proxy's CA (what Node on this host trusts extra) goes in as a build secret, not a layer.
  local secret_args=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "$NODE_EXTRA_CA_CERTS" ]; then
    secret_args=(--secret "id=npm_ca,src=$NODE_EXTRA_CA_CERTS")
  fi
  # Host network: the build stage's `npm ci` reaches the npm registry, the only registry this machine reaches.
  "$CLI" build --quiet --format docker --network host --build-arg "NODE_IMAGE=$NODE_IMAGE" "${web_args[@]}" "${secret_args[@]}" \
    -f reference-api/Dockerfile -t "$API_IMAGE" . >/dev/null
  say "image $API_IMAGE"
}

write_env() {
  local file=${MYSTOCKS_IMAGES_FILE:-$STATE/images.env}
  mkdir -p "$(dirname "$file")"
  {
    echo "# Written by scripts/build-offline-images.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ); read by stack/containers/images.ts."
    echo "# Environment variables of the same names take precedence; delete this file to use the public images."
    echo "MYSTOCKS_IMAGE_POSTGRES=$PREFIX/postgres:15"
    echo "MYSTOCKS_IMAGE_REDIS=$PREFIX/redis:7"
    echo "MYSTOCKS_IMAGE_PROMETHEUS=$PREFIX/prometheus:2"
    echo "MYSTOCKS_IMAGE_PUSHGATEWAY=$PREFIX/pushgateway:1"
    echo "MYSTOCKS_IMAGE_NODE=$NODE_IMAGE"
    [ -n "$API_IMAGE" ] && echo "MYSTOCKS_IMAGE_API=$API_IMAGE"
    true
  } > "$file.tmp"
  mv "$file.tmp" "$file"
  say "wrote ${file#"$ROOT"/}"
}

ensure_engine
build_base
build_service postgres "$PREFIX/postgres:15"
build_service redis "$PREFIX/redis:7"
build_service prometheus "$PREFIX/prometheus:2"
build_service pushgateway "$PREFIX/pushgateway:1"
build_node
build_api
write_env
say "done in $((SECONDS - t0)) s"
