#!/usr/bin/env bash
# Builds the harness's own container image (deploy/harness-image/Containerfile): Node 24, Debian's Chromium and the
# packed harness, with no image registry. Prints the image's name on stdout, its last line; progress goes to stderr.
#   1. The tag: localhost/mystocks/harness:<version>-<hash>, where the hash covers what the package is built from
#      (the harness's sources without their tests, package.json, the lock file, the TypeScript configs, the build
#      script), the Containerfile, this script and the base image's id. When that image exists, nothing is built:
#      a second run with unchanged inputs takes about a second.
#   2. Otherwise `npm pack` of the checkout (its prepack builds dist/, as README "Install as a package" says) into a
#      temporary build context, then one build: host network for apt and npm, the host's npm cache mounted (podman).
#      Podman's layer cache keeps the Chromium layer while the base image is unchanged.
#   3. Also tags localhost/mystocks/harness:<version>, the tag to push (docs/kubernetes.md), and removes the earlier
#      <version>-<hash> images: each holds about a gigabyte of its own.
# The offline Node image comes from scripts/build-offline-images.sh, which is run first when it is missing.
# Environment: NODE_IMAGE (localhost/mystocks/node:24; node:24-bookworm-slim where a registry is reachable),
# MYSTOCKS_IMAGE_PREFIX (localhost/mystocks), CONTAINER_CLI (podman), DEBIAN_MIRROR (http://deb.debian.org/debian),
# DEBIAN_SECURITY_MIRROR (http://deb.debian.org/debian-security).
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${MYSTOCKS_IMAGE_PREFIX:-localhost/mystocks}
CLI=${CONTAINER_CLI:-podman}
NODE_IMAGE=${NODE_IMAGE:-$PREFIX/node:24}
CONTAINERFILE=deploy/harness-image/Containerfile

say() { printf '[harness-image] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
t0=$SECONDS

command -v "$CLI" >/dev/null || die "$CLI not found: run scripts/setup.sh (installs podman), or set CONTAINER_CLI=docker"
image_exists() { "$CLI" image inspect "$1" >/dev/null 2>&1; }

# --- the base -----------------------------------------------------------------------------------------------
if ! image_exists "$NODE_IMAGE"; then
  if [ "$NODE_IMAGE" = "$PREFIX/node:24" ]; then
    say "$NODE_IMAGE is missing: building the offline images first (scripts/build-offline-images.sh)"
    bash scripts/build-offline-images.sh >&2
  else
    say "pulling $NODE_IMAGE"
    "$CLI" pull "$NODE_IMAGE" >&2
  fi
fi
node_image_id=$("$CLI" image inspect --format '{{.Id}}' "$NODE_IMAGE")

# --- the tag: a hash of the inputs ------------------------------------------------------------------------------
# What tsconfig.build.json compiles (the folders it includes, and reference-api/src, whose config and seed data the
# harness imports) and what scripts/build-package.ts copies, less tests and test data (tsconfig.build.json's
# exclude): a test's edit changes no byte of the package. Tracked and untracked files alike, as git sees them.
package_inputs() {
  git ls-files -z --cached --others --exclude-standard -- \
      cli core slo load stack diagnose report deploy pages fixtures e2e reference-api/src \
      playwright.config.ts allurerc.mjs package.json package-lock.json tsconfig.json tsconfig.build.json \
      scripts/build-package.ts scripts/build-harness-image.sh LICENSE \
    | grep -zvE '\.test\.ts$|(^|/)(testing|testdata)/|test-support\.ts$' \
    | sort -z
}
git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
  || die "not a git checkout: the image's tag is a hash of the checkout's files as git lists them"
inputs_hash=$(
  {
    printf 'base %s\n' "$node_image_id"
    # A file git lists but the tree no longer has (deleted, not yet staged) is left out.
    package_inputs | while IFS= read -r -d '' file; do if [ -f "$file" ]; then printf '%s\0' "$file"; fi; done \
      | xargs -0 --no-run-if-empty sha256sum
  } | sha256sum | cut -c1-12
)
version=$(node -p "require('./package.json').version")
IMAGE=$PREFIX/harness:$version-$inputs_hash

if image_exists "$IMAGE"; then
  say "image $IMAGE exists (inputs unchanged)"
else
  context=$(mktemp -d)
  trap 'rm -rf "$context"' EXIT
  say "packing the harness (npm pack: builds dist/ first)"
  t=$SECONDS
  tarball=$(npm pack --silent --pack-destination "$context" | tail -n 1)
  [ -f "$context/$tarball" ] || die "npm pack wrote no $tarball"
  mv "$context/$tarball" "$context/harness.tgz"
  cp "$CONTAINERFILE" "$context/Containerfile"
  say "packed $tarball in $((SECONDS - t)) s"

  build_args=(--network host --build-arg "NODE_IMAGE=$NODE_IMAGE")
  [ -n "${DEBIAN_MIRROR:-}" ] && build_args+=(--build-arg "DEBIAN_MIRROR=$DEBIAN_MIRROR")
  [ -n "${DEBIAN_SECURITY_MIRROR:-}" ] && build_args+=(--build-arg "DEBIAN_SECURITY_MIRROR=$DEBIAN_SECURITY_MIRROR")
  # A TLS-intercepting proxy's CA (what Node on this host trusts extra) goes in as a build secret, not a layer.
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "$NODE_EXTRA_CA_CERTS" ]; then
    build_args+=(--secret "id=npm_ca,src=$NODE_EXTRA_CA_CERTS")
  fi
  # The host's npm cache, read and filled by the image's npm install: a volume of the build only, in no layer.
  # Podman's `build --volume`; Docker's build has no such flag, and fetches every package from the registry.
  npm_cache=$(npm config get cache 2>/dev/null || true)
  if [ "$CLI" = podman ] && [ -n "$npm_cache" ] && [ -d "$npm_cache" ]; then
    build_args+=(--volume "$npm_cache:/npm-cache")
  fi
  say "building $IMAGE FROM $NODE_IMAGE (first time: Chromium and about a thousand npm packages, minutes)"
  t=$SECONDS
  "$CLI" build --format docker "${build_args[@]}" -t "$IMAGE" "$context" >&2
  say "image $IMAGE built in $((SECONDS - t)) s"
  # Each earlier build of this version holds about a gigabyte of its own (its npm layer): the newest is kept, the
  # others removed (one still used by a container stays).
  for old in $("$CLI" images --format '{{.Repository}}:{{.Tag}}' "$PREFIX/harness" | grep -F ":$version-" | grep -vxF "$IMAGE" || true); do
    if "$CLI" rmi "$old" >/dev/null 2>&1; then say "removed the earlier $old"; fi
  done
fi
"$CLI" tag "$IMAGE" "$PREFIX/harness:$version"
say "tagged $PREFIX/harness:$version; done in $((SECONDS - t0)) s"
echo "$IMAGE"
