#!/usr/bin/env bash
# README command 1: run guestcare locally — a private Postgres under
# .guestcare/, migrations, a demo tenant, the API and the worker, until Ctrl-C.
# Mail lands in .guestcare/outbox/, SMS in .guestcare/sms.log.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh run
export GUESTCARE_ENV=${GUESTCARE_ENV:-development}
echo "building guestcare (the first build takes a few minutes)…" >&2
cargo build --locked --quiet --bin guestcare
exec target/debug/guestcare dev "$@"
