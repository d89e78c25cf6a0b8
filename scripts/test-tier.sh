#!/usr/bin/env bash
# One tier of the harness's own tests (docs/conventions.md, "Tests"), the test files chosen by name:
#   static       lint (Biome) and types (tsc), both run even when the first fails
#   unit         *.test.ts (not .int/.stack): pure; every file in ONE process (--test-isolation=none), with
#                scripts/unit-guard.ts refusing child processes, listeners and connections
#   integration  *.int.test.ts: child processes and single real services; two files at a time
#   stack        *.stack.test.ts: whole stacks, load runs, browsers; one file at a time
#   image        *.image.test.ts: container images built from the checkout (the harness's own image, minutes on a
#                first build); one file at a time; NOT part of `npm test`, run by `npm run test:image`
# Usage: bash scripts/test-tier.sh static
#        bash scripts/test-tier.sh unit|integration|stack|image [node --test options...]   (npm run test:TIER -- ...)
#        bash scripts/test-tier.sh unit|integration|stack|image --list   (the tier's files, one a line)
# A test tier with no file exits 1, so a rename that empties a tier fails instead of passing on nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

tier=${1:-}
shift || true
if [ "$tier" = static ]; then
  status=0
  npm run --silent lint || status=1
  npm run --silent typecheck || status=1
  exit $status
fi
# Folders that hold no test of the project's own: packages, dot-folders (.git, .harness, load/.runs), generated
# reports and builds, and testdata (suites that tests run as data).
prune=(\( -name node_modules -o -name '.*' -o -name testdata -o -name dist -o -path ./reports \) -prune -o)
case $tier in
  unit)
    match=(-name '*.test.ts' ! -name '*.int.test.ts' ! -name '*.stack.test.ts' ! -name '*.image.test.ts')
    options=(--test-isolation=none --import ./scripts/unit-guard.ts)
    ;;
  integration)
    match=(-name '*.int.test.ts')
    options=(--test-concurrency=2)
    ;;
  stack)
    match=(-name '*.stack.test.ts')
    options=(--test-concurrency=1)
    ;;
  image)
    match=(-name '*.image.test.ts')
    options=(--test-concurrency=1)
    ;;
  *)
    printf 'usage: bash scripts/test-tier.sh static | unit | integration | stack | image [--list | node --test options...]\n' >&2
    exit 2
    ;;
esac

mapfile -t files < <(find . -mindepth 1 "${prune[@]}" -type f "${match[@]}" -print | sed 's|^\./||' | LC_ALL=C sort)
if [ ${#files[@]} -eq 0 ]; then
  printf 'test-tier: no %s test files found (docs/conventions.md says how each tier is named)\n' "$tier" >&2
  exit 1
fi
if [ "${1:-}" = --list ]; then
  printf '%s\n' "${files[@]}"
  exit 0
fi
printf 'test-tier: %s, %d files\n' "$tier" ${#files[@]}
exec node --test --test-reporter=spec "${options[@]}" "$@" "${files[@]}"
