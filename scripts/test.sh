#!/usr/bin/env bash
# README command 2: the whole test suite, from a fresh clone.
#
# Installs what is missing (Postgres, Postfix's smtp-sink, Dovecot, systemd
# tools), checks formatting and lints, builds, checks that schema.rs matches
# the migrations and that the systemd units verify, then runs every unit and
# end-to-end test against real servers the suite starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "system packages"
scripts/deps.sh test

step "format"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "build"
cargo build --workspace --all-targets --locked

trap 'target/debug/gc-testdb stop >/dev/null 2>&1 || true' EXIT

step "schema.rs matches the migrations"
scripts/check-schema.sh

step "systemd units"
units=$(mktemp -d)
for unit in systemd/*.service; do
  sed "s#/usr/local/bin/#$PWD/target/debug/#" "$unit" > "$units/$(basename "$unit")"
done
systemd-analyze verify "$units"/*.service
rm -rf "$units"

step "tests"
cargo nextest run --workspace --locked --profile ci
