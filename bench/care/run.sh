#!/usr/bin/env bash
# The care-automation benchmark: a New Year greeting to every guest through
# care::run_greetings beside one bare INSERT … SELECT of the same guests, on
# the private benchmark cluster. Prints a markdown table.
#
#   bench/care/run.sh [GUESTS]      default: 100000
set -euo pipefail
cd "$(dirname "$0")/../.."
guests=${1:-100000}
cargo build --quiet --release -p guestcare-bench
target/release/gc-bench care --guests "$guests"
