#!/usr/bin/env bash
# Runs each criterion bench once per case (`--test` mode): proves they work, measures nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ls benches/benches/*.rs >/dev/null 2>&1; then
  cargo bench -p benches --locked -- --test
else
  echo "no benches yet"
fi
