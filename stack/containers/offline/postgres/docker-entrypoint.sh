#!/bin/sh
# A small stand-in for the official image's entrypoint (same environment variables, same log lines).
set -eu
if [ "${1:-postgres}" != postgres ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi
[ "${1:-}" = postgres ] && shift
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi
# The Unix socket's folder: /var/run/postgresql, as in the official image, when this user can write it. Run as
# its own user on a read-only root, the folder is whatever volume is mounted there: a Kubernetes emptyDir, which
# Podman makes from the image's folder, and an image built where /run is a tmpfs during the build has none, so the
# volume comes out root's. Then the first writable of /tmp (world-writable in every image) and PGDATA's parent.
# Clients here connect over TCP; only the init below uses the socket (PGHOST).
sockets=
for dir in /var/run/postgresql /tmp "$(dirname "$PGDATA")"; do
  if [ -d "$dir" ] && [ -w "$dir" ]; then sockets=$dir; break; fi
done
: "${sockets:?no writable folder for the Unix socket (/var/run/postgresql, /tmp, $(dirname "$PGDATA"))}"
export PGHOST="$sockets"
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (as with the official image)}"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  printf 'host all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$sockets" -w start
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories="$sockets" "$@"
