#!/usr/bin/env bash
# README's test command (`npm test`): the tiers of docs/conventions.md in order, cheapest first: static checks
# (lint, types), unit tests (pure, one process), integration tests (child processes and single real services, two
# files at a time), stack tests (whole stacks, load runs, browsers, one file at a time), then the Playwright
# suites. Each stage runs even when an earlier one failed, so one run shows every failure; the last line counts
# the stages that passed and failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 ARTILLERY_DISABLE_TELEMETRY=true
passed=0 failed=0 failures=()
stage() {
  local name=$1; shift
  printf '\n=== %s: %s\n' "$name" "$*"
  local t0=$SECONDS
  if "$@"; then passed=$((passed + 1)); printf '=== %s passed (%ss)\n' "$name" $((SECONDS - t0))
  else failed=$((failed + 1)); failures+=("$name"); printf '=== %s FAILED (%ss)\n' "$name" $((SECONDS - t0)); fi
}
stage static npm run --silent test:static
stage unit npm run --silent test:unit
stage integration npm run --silent test:integration
stage stack npm run --silent test:stack
if [ -f playwright.config.ts ]; then stage e2e npm run --silent test:e2e; fi
printf '\n'
[ $failed -eq 0 ] || printf 'failed stages: %s\n' "${failures[*]}"
printf 'stages: %d passed, %d failed\n' "$passed" "$failed"
[ $failed -eq 0 ]
