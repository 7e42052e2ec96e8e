#!/usr/bin/env bash
# Template rendering throughput: guestcare's renderer (minijinja, release
# build) and Python's Jinja2 render the same built-in e-mail (Vietnamese
# booking confirmation: subject, auto-escaped HTML, text) with the same
# context and filters, one after the other on one core, in one run.
#
# Usage: bench/templates/run.sh [ITERATIONS]   (default 20000)
# Installs Jinja2 into a virtualenv under target/bench-venv the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."

iterations=${1:-20000}
venv=target/bench-venv
if [[ ! -x $venv/bin/python ]]; then
  echo "creating $venv with Jinja2 (first run only)…" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'jinja2==3.1.6' 'markupsafe==3.0.4'
fi

cargo build --quiet --release -p guestcare-domain --example template_bench
export_file=target/bench-templates.json
read -r ours ours_bytes < <(target/release/examples/template_bench "$iterations" "$export_file")
read -r peer peer_bytes < <("$venv/bin/python" bench/templates/jinja2_bench.py "$export_file" "$iterations")
jinja_version=$("$venv/bin/python" -c 'import jinja2; print(jinja2.__version__)')

printf '%-28s %14s %16s\n' "renderer" "renders/s" "bytes/render"
printf '%-28s %14s %16s\n' "guestcare (minijinja 3.1.0)" "$ours" "$ours_bytes"
printf '%-28s %14s %16s\n' "Jinja2 $jinja_version (CPython)" "$peer" "$peer_bytes"
awk -v a="$ours" -v b="$peer" 'BEGIN { printf "ratio guestcare / Jinja2: %.2f×\n", a / b }'
