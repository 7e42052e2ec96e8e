#!/usr/bin/env bash
# Regenerates crates/db/src/schema.rs from migrations/ without building the
# workspace (useful when schema.rs itself does not compile, e.g. after a
# merge): a scratch database on the test cluster, diesel migration run,
# diesel print-schema. Needs the test cluster running (any test run starts
# it) and diesel_cli (scripts/check-schema.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
port=$(sed -n 4p target/test-pg/data/postmaster.pid)
base="postgres://guestcare:guestcare-test@127.0.0.1:$port"
db="gc_regen_$$"
psql "$base/postgres" -qc "CREATE DATABASE $db"
trap 'psql "$base/postgres" -qc "DROP DATABASE $db WITH (FORCE)"' EXIT
target/tools/bin/diesel migration run --database-url "$base/$db" --migration-dir migrations >/dev/null
target/tools/bin/diesel print-schema --database-url "$base/$db" > crates/db/src/schema.rs
echo "crates/db/src/schema.rs regenerated"
