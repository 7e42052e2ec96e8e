#!/usr/bin/env bash
# The intake-import benchmark: a generated 100 000-row front-desk CSV
# imported through the real import_guests job, the same bytes COPY-ed into a
# bare table on the same Postgres in the same run, then a dynamic segment
# over 1 000 000 guests. Prints markdown tables.
#
#   bench/imports/run.sh [ROWS] [SEGMENT_GUESTS]     defaults: 100000 1000000
# Set GC_BENCH_PG_PORT when another checkout's benchmark cluster uses 54339.
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-100000}
guests=${2:-1000000}
cargo build --quiet --release -p guestcare-bench
target/release/gc-bench imports --rows "$rows" --segment-guests "$guests"
