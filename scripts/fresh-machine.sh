#!/usr/bin/env bash
# A fresh machine of the kind the README's quickstart starts from, in a container: Debian 12 (bookworm) with
# Node 20 and npm, git, python3, make, g++, curl, procps and xz-utils, nothing else; root, the host's network.
# It shows that `bash scripts/setup.sh` installs everything else the harness needs (Node 24, PostgreSQL, Redis,
# Prometheus, the Pushgateway, Chromium, Podman) and that the commands then pass on a clean clone.
#
#   scripts/fresh-machine.sh setup            podman, runc and mmdebstrap on this host, and the containers.conf
#                                             they need in a sandbox (runc, no default ulimits); idempotent
#   scripts/fresh-machine.sh build            the image (about 2 minutes): a minimal bookworm from mmdebstrap
#                                             plus this host's Node 20 and its npm
#   scripts/fresh-machine.sh run REPO CMD     a fresh container: clones REPO (a git checkout, mounted read-only)
#                                             and runs CMD in the clone with bash; the container is removed after
#
# Example, the README's two commands on this checkout (about 50 minutes on 2 cores):
#   scripts/fresh-machine.sh run . 'bash scripts/setup.sh && npx harness verify'
#   scripts/fresh-machine.sh run . 'bash scripts/setup.sh && npm test'
#
# The clone holds REPO's committed HEAD only: uncommitted changes are not part of the run.
# The container is privileged and on the host's network: the harness inside starts its own Podman for the
# containers stack and binds the local stack to loopback ports, as on a real machine; the ports are the host's.
# Environment: FRESH_MACHINE_IMAGE (localhost/mystocks-fresh-machine:bookworm), FRESH_MACHINE_NODE (the Node 20
# binary to put in the image, default /usr/bin/node), DEBIAN_MIRROR (http://deb.debian.org/debian),
# FRESH_MACHINE_CA (a CA bundle the container trusts for npm and Node, default the host's bundle when present:
# a machine whose registry access goes through a TLS-inspecting proxy is given that proxy's CA the same way).
set -euo pipefail

IMAGE=${FRESH_MACHINE_IMAGE:-localhost/mystocks-fresh-machine:bookworm}
NODE_BIN=${FRESH_MACHINE_NODE:-/usr/bin/node}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
CA_BUNDLE=${FRESH_MACHINE_CA:-/etc/ssl/certs/ca-certificates.crt}
# The base tools of the machine kind; anything more must come from scripts/setup.sh.
BASE_TOOLS='ca-certificates,git,python3,make,g++,curl,procps,xz-utils'

say() { printf '[fresh-machine] %s\n' "$*"; }
die() { say "$*" >&2; exit 2; }
usage() { sed -n '7,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

setup() {
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq podman runc mmdebstrap >/dev/null
  fi
  # crun and the default ulimits fail in a sandboxed host; runc without them works.
  if ! grep -qs 'runtime = "runc"' /etc/containers/containers.conf; then
    mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' >/etc/containers/containers.conf
  fi
  podman run --rm --help >/dev/null
  say "podman ready"
}

build() {
  [ -x "$NODE_BIN" ] || die "no Node binary at $NODE_BIN (set FRESH_MACHINE_NODE)"
  local version
  version=$("$NODE_BIN" --version)
  # Node 20 is what the machine kind has: older than the 22.18 the harness needs, so setup.sh must bring Node 24.
  case "$version" in
  v20.*) ;;
  *) die "$NODE_BIN is $version; the fresh machine has Node 20 (set FRESH_MACHINE_NODE to a Node 20 binary)" ;;
  esac
  # npm as installed beside that node: <prefix>/bin/node and <prefix>/lib/node_modules/npm.
  local prefix npm_dir
  prefix=$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")
  npm_dir=$prefix/lib/node_modules/npm
  [ -f "$npm_dir/bin/npm-cli.js" ] || die "no npm beside $NODE_BIN (looked in $npm_dir)"

  local work
  work=$(mktemp -d)
  # Removed however the build ends; $work is expanded now, on purpose.
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  say "minimal bookworm with $BASE_TOOLS (mmdebstrap)"
  mmdebstrap --variant=minbase --include="$BASE_TOOLS" bookworm "$work/root.tar" "$MIRROR"
  podman import "$work/root.tar" "$IMAGE-base" >/dev/null
  mkdir -p "$work/context/usr/bin" "$work/context/usr/lib/node_modules"
  cp "$NODE_BIN" "$work/context/usr/bin/node"
  cp -r "$npm_dir" "$work/context/usr/lib/node_modules/npm"
  cat >"$work/context/Containerfile" <<EOF
FROM $IMAGE-base
COPY usr/bin/node /usr/bin/node
COPY usr/lib/node_modules/npm /usr/lib/node_modules/npm
RUN ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm \\
 && ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx
EOF
  say "image $IMAGE with Node $version"
  podman build --network host -t "$IMAGE" "$work/context" >/dev/null
  podman run --rm "$IMAGE" bash -c 'echo "node $(node --version), npm $(npm --version)"'
}

run_in_fresh_machine() {
  [ $# -ge 2 ] || usage
  local repo
  repo=$(cd "$1" && git rev-parse --show-toplevel 2>/dev/null) || die "$1 is not a git checkout"
  shift
  podman image exists "$IMAGE" || die "no image $IMAGE: run '$0 build' first"
  local ca=()
  if [ -f "$CA_BUNDLE" ]; then
    ca=(-v "$CA_BUNDLE:/etc/ssl/certs/fresh-machine-ca.crt:ro"
      -e NODE_EXTRA_CA_CERTS=/etc/ssl/certs/fresh-machine-ca.crt
      -e npm_config_cafile=/etc/ssl/certs/fresh-machine-ca.crt)
  fi
  say "clean clone of $repo ($(git -C "$repo" rev-parse --short HEAD)): $*"
  # The command runs as given, in the clone: its words are joined as bash -c would read one string.
  # safe.directory: the mounted checkout belongs to another user than the container's root.
  podman run --rm --network host --privileged \
    -v "$repo:/srv/source:ro" "${ca[@]}" \
    "$IMAGE" bash -c 'git -c safe.directory="*" clone -q /srv/source /root/mystocks-harness \
      && cd /root/mystocks-harness && eval "$1"' fresh-machine "$*"
}

case "${1:-}" in
setup) setup ;;
build) build ;;
run)
  shift
  run_in_fresh_machine "$@"
  ;;
*) usage ;;
esac
