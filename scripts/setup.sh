#!/usr/bin/env bash
# Idempotent set-up for a Debian/Ubuntu machine: OS packages (PostgreSQL + PostGIS, Chromium,
# CJK fonts), uv, the locked Python packages, and the database schema. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root (or sudo) to install OS packages: $*"; exit 1; fi
}

postgres_major() {
    # The newest server already installed, else the distribution's default version.
    local installed
    installed=$(ls -1 /usr/lib/postgresql 2>/dev/null | sort -n | tail -1 || true)
    if [ -n "$installed" ]; then echo "$installed"; return; fi
    apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9]\+\)$/\1/p' | head -1
}

install_os_packages() {
    if ! command -v apt-get >/dev/null; then
        log "no apt-get: install PostgreSQL with PostGIS 3 and Chromium by hand, or set DATABASE_URL"
        return
    fi
    local updated=0 major wanted=() pkg
    ensure_lists() { if [ "$updated" -eq 0 ]; then as_root apt-get update -q; updated=1; fi; }
    major=$(postgres_major)
    if [ -z "$major" ]; then ensure_lists; major=$(postgres_major); fi
    for pkg in "postgresql-$major" "postgresql-$major-postgis-3" chromium fonts-noto-cjk gdal-bin \
        libreoffice-calc poppler-utils; do
        dpkg -s "$pkg" >/dev/null 2>&1 || wanted+=("$pkg")
    done
    if [ "${#wanted[@]}" -gt 0 ]; then
        ensure_lists
        log "installing ${wanted[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            "${wanted[@]}"
    fi
}

ORIGINAL_PATH="$PATH"

install_uv() {
    export PATH="$HOME/.local/bin:$HOME/.cargo/bin:$PATH"
    if command -v uv >/dev/null; then return; fi
    log "installing uv"
    if ! command -v python3 >/dev/null || ! python3 -m pip --version >/dev/null 2>&1; then
        as_root apt-get update -q
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-pip
    fi
    python3 -m pip install --quiet --user uv 2>/dev/null \
        || python3 -m pip install --quiet --user --break-system-packages uv \
        || python3 -m pip install --quiet uv
    hash -r
}

expose_uv() {
    # A fresh shell does not have ~/.local/bin on PATH; make `uv` reachable there too, when allowed.
    if PATH="$ORIGINAL_PATH" command -v uv >/dev/null; then return; fi
    if [ "$(id -u)" -eq 0 ] && [ -d /usr/local/bin ] && [ -w /usr/local/bin ]; then
        ln -sf "$(command -v uv)" /usr/local/bin/uv
        log "linked uv into /usr/local/bin"
    else
        log "uv is in $(dirname "$(command -v uv)"); use ./wangge, or add that folder to PATH"
    fi
}

install_os_packages
install_uv
expose_uv
log "syncing the locked Python environment"
uv sync --frozen --all-groups --quiet
if [ -z "${DATABASE_URL:-}" ]; then
    log "starting the embedded PostGIS under .data/ and migrating"
else
    log "migrating the database at DATABASE_URL"
fi
uv run --frozen wangge db up
log "ready"
