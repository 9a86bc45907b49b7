#!/usr/bin/env bash
# The whole test suite: unit, integration, differential (python3) and doc tests, in every
# feature combination that changes what asock compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is needed for the differential tests" >&2; exit 1; }
# The workspace build turns on asock's `async-io` and `hyper` features (the benches and the
# examples enable them).
cargo test --workspace --locked
# asock's own defaults (tokio, futures-io): the other reactor configuration.
cargo test -p asock --locked
# Without tokio: no tokio crate in a user's graph, every socket on asock's own reactor. The
# tests that exist only for tokio (its backend, its traits, its paused clock) are left out by
# `cfg(feature = "tokio")`; the rest run on asock::block_on, futures' block_on and smol.
# (Doc tests are left out: their examples are written for the default features.)
cargo test -p asock --locked --no-default-features --features futures-io --tests
if cargo tree -p smol-echo --locked | grep -q '\btokio\b'; then
  echo "smol-echo (asock without its tokio feature) has tokio in its dependency graph" >&2
  exit 1
fi
cargo run -q -p smol-echo --locked
