#!/usr/bin/env bash
# The survey results benchmark: surveys::results::survey_results over many
# responses beside one hand-written GROUP BY of the same answers in psql, on
# the private benchmark cluster. Prints a markdown table.
#
#   bench/surveys/run.sh [RESPONSES]      default: 100000
set -euo pipefail
cd "$(dirname "$0")/../.."
responses=${1:-100000}
cargo build --quiet --release -p guestcare-bench
target/release/gc-bench surveys --responses "$responses"
