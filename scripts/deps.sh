#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages guestcare needs, only those missing.
#
#   scripts/deps.sh run    what `guestcare dev` needs to build and run
#   scripts/deps.sh test   plus the real servers and tools the test suite uses
#
# As root it installs with apt-get; otherwise it prints the command to run.
set -euo pipefail

profile=${1:-run}
packages=(postgresql libpq-dev pkg-config)
if [[ $profile == test ]]; then
  # postfix: smtp-sink/smtp-source; dovecot: IMAP; systemd: systemd-analyze;
  # chromium: the headless browser of the survey test.
  packages+=(postfix dovecot-imapd systemd chromium)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "Missing packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing ${missing[*]} with apt-get…" >&2
export DEBIAN_FRONTEND=noninteractive
# Postfix only provides smtp-sink here: never configure or start a mail system.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
