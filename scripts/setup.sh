#!/usr/bin/env bash
# Installs what a machine without Docker needs to run and test Leads Peer:
# PostgreSQL 15 with pgvector, Redis and Chromium (browser tests). Idempotent: each step
# checks first and does nothing when the piece is already there.
set -euo pipefail

PG_MAJOR=15
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root apt-get install -y -qq --no-install-recommends "$@"
}

if ! command -v dotnet >/dev/null 2>&1; then
  log "the .NET SDK named in global.json is required (https://dot.net); install it and run again"
  exit 1
fi

if [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ]; then
  log "PostgreSQL ${PG_MAJOR}: present"
else
  log "PostgreSQL ${PG_MAJOR}: installing"
  apt_install "postgresql-${PG_MAJOR}" postgresql-contrib
fi

# Bookings' exclusion constraint needs btree_gist, one of PostgreSQL's contrib modules.
if [ -f "/usr/share/postgresql/${PG_MAJOR}/extension/btree_gist.control" ]; then
  log "btree_gist: present"
else
  log "btree_gist: installing PostgreSQL's contrib modules"
  apt_install postgresql-contrib
  if [ ! -f "/usr/share/postgresql/${PG_MAJOR}/extension/btree_gist.control" ]; then
    log "btree_gist: still missing from /usr/share/postgresql/${PG_MAJOR}/extension; install PostgreSQL ${PG_MAJOR}'s contrib modules and run again"
    exit 1
  fi
fi

# Debian 12 has no pgvector package: build Debian's own source package (trixie) against the
# server headers. Only Debian's registry is used, and the machine's apt sources stay untouched
# (a private source list and lists folder for this one download).
if [ -f "/usr/share/postgresql/${PG_MAJOR}/extension/vector.control" ]; then
  log "pgvector: present"
else
  log "pgvector: building from Debian's source package"
  apt_install "postgresql-server-dev-${PG_MAJOR}" build-essential
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial"
  # The machine's own Debian mirror, as its apt sources name it (deb822 .sources, or sources.list).
  mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /^https?:/ { print $2; exit }' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  if [ -z "$mirror" ]; then
    log "pgvector: no Debian mirror found in the apt sources (/etc/apt/sources.list*); configure one and run again"
    exit 1
  fi
  echo "deb-src $mirror trixie main" > "$work/src.list"
  apt_private=(-o "Dir::Etc::SourceList=$work/src.list" -o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$work/lists")
  as_root apt-get "${apt_private[@]}" update -qq
  (
    cd "$work"
    apt-get "${apt_private[@]}" source --download-only pgvector
    tar xzf pgvector_*.orig.tar.gz
    cd pgvector-*/
    # OPTFLAGS="" avoids -march=native, so the library runs on any x86-64.
    make -s PG_CONFIG="$PG_BIN/pg_config" OPTFLAGS=""
    as_root make -s install PG_CONFIG="$PG_BIN/pg_config"
  )
fi

if command -v redis-server >/dev/null 2>&1; then
  log "Redis: present"
else
  log "Redis: installing"
  apt_install redis-server
fi

if [ "${SKIP_BROWSER:-0}" = "1" ] || [ -x /usr/bin/chromium ]; then
  log "Chromium: present or skipped"
else
  log "Chromium: installing (browser tests)"
  apt_install chromium
fi

log "ready"
