#!/bin/sh
# Restores a dump made by deploy/backup.sh into DATABASE_URL, replacing what is there.
# Stop the app instances first (docker compose stop app1 app2), then:
#   docker compose run --rm -v "$PWD/backups:/backups" backup sh /deploy/restore.sh /backups/kidsclub-….dump
# or, without Docker:  DATABASE_URL=postgres://… sh deploy/restore.sh backups/kidsclub-….dump
set -eu
FILE="${1:?usage: restore.sh FILE.dump}"
[ -s "$FILE" ] || { echo "restore: $FILE is missing or empty" >&2; exit 1; }
pg_restore --list "$FILE" >/dev/null # a readable dump, before anything is dropped
pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$DATABASE_URL" "$FILE"
echo "restore: $FILE restored into the database; start the app instances again"
