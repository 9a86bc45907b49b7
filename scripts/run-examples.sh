#!/usr/bin/env bash
# Builds and runs every example (or those named: scripts/run-examples.sh modes udp_echo).
# Each example ends by itself and exits non-zero when what it checks fails; the timeout here
# is a second bound, so a hang fails the run instead of stalling CI.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${EXAMPLE_TIMEOUT:-60}
cargo build -q -p examples --examples --locked
if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for src in examples/examples/*.rs; do names+=("$(basename "$src" .rs)"); done
fi
summary=()
for name in "${names[@]}"; do
  echo "-- example $name"
  start=$(date +%s%N)
  if ! timeout "$limit" cargo run -q -p examples --example "$name" --locked; then
    echo "FAILED: example $name" >&2
    exit 1
  fi
  summary+=("$(printf '%-26s %6d ms' "$name" $(( ($(date +%s%N) - start) / 1000000 )))")
done
echo "-- all ${#names[@]} examples passed"
printf '   %s\n' "${summary[@]}"
