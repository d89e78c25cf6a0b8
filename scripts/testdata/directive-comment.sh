#!/usr/bin/env bash
# A script for scripts/shell-scripts.int.test.ts: its next comment starts with the word shellcheck.
# shellcheck lints this file.
echo ok
