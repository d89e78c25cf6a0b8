#!/usr/bin/env bash
# A broken script for scripts/shell-scripts.int.test.ts: shellcheck must report the unquoted variable.
set -euo pipefail
DIR="${1:-/tmp/x}"
rm -rf $DIR/*
