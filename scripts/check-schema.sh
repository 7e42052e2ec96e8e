#!/usr/bin/env bash
# Fails when crates/db/src/schema.rs differs from what diesel prints for a
# database migrated from migrations/. Installs diesel_cli under target/tools
# the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

diesel=target/tools/bin/diesel
if [[ ! -x $diesel ]]; then
  echo "installing diesel_cli into target/tools (first run only)…" >&2
  cargo install --quiet --locked --root target/tools diesel_cli \
    --version '=2.3.14' --no-default-features --features postgres
fi

url=$(target/debug/gc-testdb create)
trap 'target/debug/gc-testdb drop "$url"' EXIT
if ! "$diesel" print-schema --database-url "$url" | diff -u crates/db/src/schema.rs -; then
  echo "schema.rs is out of date: run diesel migration run, or apply the diff above" >&2
  exit 1
fi
echo "schema.rs matches the migrations"
