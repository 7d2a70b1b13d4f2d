#!/usr/bin/env bash
# Installs the real spreadsheet software the tests drive (tests/realclient.py), on Debian or Ubuntu:
# LibreOffice Calc (recalculates, prints to PDF), poppler (PDF to PNG, fonts, pages), a CJK font (else
# Chinese prints as boxes), python3-uno (lets Debian's python3 drive LibreOffice, which runs the
# .xlsm's VBA: tests/excel) and the Open XML SDK validator from npm (WebAssembly, into
# tests/node/node_modules). The tests fail without them.
#
# Safe to run again: apt is skipped when everything is already there. apt-get runs as root, or
# through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "install-tools.sh: installing needs root; run it as root or install sudo" >&2
        exit 1
    fi
}

installed() {  # is this Debian package installed?
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# Each package, unless what the tests use from it is already there (e.g. the GUI libreoffice-calc
# instead of -nogui: installing -nogui would remove it).
find_missing() {
    missing=()
    command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
    command -v pdftoppm >/dev/null && command -v pdffonts >/dev/null && command -v pdfinfo >/dev/null ||
        missing+=(poppler-utils)
    [[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || missing+=(fonts-wqy-microhei)
    installed python3-uno || missing+=(python3-uno)
    command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
}
find_missing

start=$SECONDS
if ((${#missing[@]})); then
    if ! command -v apt-get >/dev/null; then
        echo "install-tools.sh: no apt-get here; install these yourself: ${missing[*]}" >&2
        exit 1
    fi
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    echo "+ apt installs took $((SECONDS - start)) s"
    find_missing  # what apt said it installed must now be there
    if ((${#missing[@]})); then
        echo "install-tools.sh: still missing after apt-get: ${missing[*]}" >&2
        exit 1
    fi
else
    echo "+ apt: everything is already installed"
fi

start=$SECONDS
npm ci --prefix tests/node --no-audit --no-fund
echo "+ npm ci took $((SECONDS - start)) s"
