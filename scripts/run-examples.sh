#!/usr/bin/env bash
# Builds and runs every example; each ends by itself, bounded by a timeout here as well.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p examples --examples --locked
for src in examples/examples/*.rs; do
  name=$(basename "$src" .rs)
  echo "-- example $name"
  timeout 60 cargo run -q -p examples --example "$name" --locked
done
