#!/bin/sh
# A consistent dump of the whole database (pg_dump, custom format), kept BACKUP_KEEP_DAYS days.
# Run by the `backup` service of docker-compose.yml every BACKUP_EVERY_HOURS hours, or by hand:
#   DATABASE_URL=postgres://… BACKUP_DIR=./backups sh deploy/backup.sh --once
set -eu
DIR="${BACKUP_DIR:-/backups}"
KEEP="${BACKUP_KEEP_DAYS:-14}"
EVERY="${BACKUP_EVERY_HOURS:-24}"
mkdir -p "$DIR"
dump() {
  name="$DIR/kidsclub-$(date -u +%Y%m%d-%H%M%S).dump"
  pg_dump --format=custom --no-owner --dbname="$DATABASE_URL" --file="$name.partial"
  mv "$name.partial" "$name"
  echo "backup: $name ($(wc -c <"$name") bytes)"
  find "$DIR" -name 'kidsclub-*.dump' -mtime "+$KEEP" -print -delete
}
if [ "${1:-}" = "--once" ]; then dump; exit 0; fi
while true; do
  dump || echo "backup: FAILED (tried again in ${EVERY} h)" >&2
  sleep $((EVERY * 3600))
done
