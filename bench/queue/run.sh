#!/usr/bin/env bash
# The job-queue benchmark: guestcare's runner, a bare SQL loop and pgqueuer
# (PyPI) on the same private Postgres, in one run. Prints a markdown table.
#
#   bench/queue/run.sh [JOBS] [RUNNERS]      defaults: 100000 1,4,16
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${1:-100000}
runners=${2:-1,4,16}

cargo build --quiet --release -p guestcare-bench
venv=target/bench-venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet 'pgqueuer==1.6.0' 'asyncpg==0.32.0'

admin=$(target/release/gc-bench pg-url)
peer_db="${admin%/*}/gc_bench_peer"
psql "$admin" -qc "DROP DATABASE IF EXISTS gc_bench_peer WITH (FORCE)" -c "CREATE DATABASE gc_bench_peer" -c "ALTER DATABASE gc_bench_peer SET synchronous_commit = off"
results=target/bench-queue-peer.jsonl
"$venv/bin/python" bench/queue/pgqueuer_peer.py "$peer_db" "$jobs" "$runners" "$results"
target/release/gc-bench queue --database-url "$admin" --jobs "$jobs" --runners "$runners" --peer "$results"
