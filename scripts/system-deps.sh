#!/usr/bin/env bash
# Installs the Debian packages PIAK needs (when run as root) or names what is missing.
set -euo pipefail

# command-or-file to look for -> Debian package that provides it
declare -A NEEDS=(
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [pdftoppm]=poppler-utils
  [msgfmt]=gettext
  [zbarimg]=zbar-tools
  [caddy]=caddy
  [pg_createcluster]=postgresql-common
  [/usr/lib/postgresql/15/bin/initdb]=postgresql-15
  [/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf]=fonts-liberation2
)

missing=()
for thing in "${!NEEDS[@]}"; do
  if [[ "$thing" == /* ]]; then [[ -e "$thing" ]] || missing+=("${NEEDS[$thing]}")
  else command -v "$thing" >/dev/null 2>&1 || missing+=("${NEEDS[$thing]}"); fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Memasang paket sistem: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Paket sistem belum terpasang: ${missing[*]}" >&2
  echo "Pasang sebagai root: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
