#!/usr/bin/env bash
# The whole test suite: unit, integration, differential (python3) and doc tests.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "python3 is needed for the differential tests" >&2; exit 1; }
cargo test --workspace --locked
# The workspace build turns on asock's `async-io` feature (the benches enable it); run asock's
# own suite once more without it, so that both reactor configurations are tested.
cargo test -p asock --locked
