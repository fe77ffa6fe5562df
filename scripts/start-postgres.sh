#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints its URL (the only line on stdout):
#
#   export PD_POSTGRES_URL="$(scripts/start-postgres.sh)"
#   # → postgres://postgres@127.0.0.1:54329/property_dunning_test
#
# Idempotent: when the server already runs it only makes sure the database exists. When no
# PostgreSQL server binaries are installed and we are root, installs Debian's `postgresql`
# package first. The cluster lives in $PD_PG_BASE (default /tmp/property-dunning-pg-54329), owned
# by the `postgres` OS user (commands run through runuser when we are root), listens on
# 127.0.0.1 only, trusts every local connection and is tuned for tests, not durability (fsync
# off). Stop it with:  scripts/start-postgres.sh --stop
#
# Environment: PD_PG_PORT (54329), PD_PG_BASE, PD_PG_DB (property_dunning_test).
set -euo pipefail

PORT="${PD_PG_PORT:-54329}"
DB="${PD_PG_DB:-property_dunning_test}"
BASE="${PD_PG_BASE:-${TMPDIR:-/tmp}/property-dunning-pg-$PORT}"
DATA="$BASE/data"
LOG="$BASE/server.log"
URL="postgres://postgres@127.0.0.1:$PORT/$DB"
START=$SECONDS

say() { echo "start-postgres: $*" >&2; }
die() { say "$*"; exit 1; }

# The newest server installation: Debian keeps them in /usr/lib/postgresql/<major>/bin.
find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return 0; fi
  done
  local initdb
  initdb="$(command -v initdb 2>/dev/null || true)"
  if [[ -n "$initdb" ]]; then dirname "$(readlink -f "$initdb")"; return 0; fi
  return 1
}

BIN="$(find_bin || true)"
if [[ "${1:-}" == "--stop" && -z "$BIN" ]]; then exit 0; fi
if [[ -z "$BIN" ]]; then
  [[ $EUID -eq 0 ]] || die "no PostgreSQL server found; install it (sudo apt-get install -y postgresql) or run this script as root"
  say "installing Debian's postgresql package…"
  t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends postgresql >&2
  say "apt install took $((SECONDS - t0))s"
  BIN="$(find_bin)" || die "postgresql installed, but initdb was not found under /usr/lib/postgresql/*/bin"
fi

# Run as the postgres OS user when we are root (the server refuses to run as root).
if [[ $EUID -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  as_pg() { "$@"; }
fi

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; }

if [[ "${1:-}" == "--stop" ]]; then
  if [[ -f "$DATA/PG_VERSION" ]]; then as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2 || true; fi
  exit 0
fi

if ! ready; then
  # A cluster left by another major version cannot be started: it is throwaway, so start afresh.
  major="$("$BIN/postgres" --version | sed -E 's/^[^0-9]*([0-9]+).*$/\1/')"
  if [[ -f "$DATA/PG_VERSION" && "$(cat "$DATA/PG_VERSION")" != "$major" ]]; then
    say "discarding the PostgreSQL $(cat "$DATA/PG_VERSION") cluster in $DATA (the server is $major)"
    rm -rf "$DATA"
  fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    say "initdb in $DATA"
    rm -rf "$DATA"
    mkdir -p "$BASE"
    [[ $EUID -ne 0 ]] || chown postgres: "$BASE"
    chmod 700 "$BASE"
    as_pg "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >"$BASE/initdb.log" 2>&1 ||
      { cat "$BASE/initdb.log" >&2; die "initdb failed"; }
  fi
  say "starting PostgreSQL ($("$BIN/postgres" --version)) on 127.0.0.1:$PORT, log $LOG"
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 ||
    { tail -n 30 "$LOG" >&2 || true; die "the server did not start"; }
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || { tail -n 30 "$LOG" >&2 || true; die "the server does not answer on 127.0.0.1:$PORT"; }
fi

psql() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
if [[ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]]; then
  psql -d postgres -c "CREATE DATABASE \"$DB\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >&2
fi
say "ready in $((SECONDS - START))s"
echo "$URL"
