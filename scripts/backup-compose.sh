#!/usr/bin/env bash
# Backup and restore of a Docker Compose deployment of STATUS (the embedded default has `npm run backup`).
#
#   scripts/backup-compose.sh backup  [<dir>]   default dir: backups/<UTC time>
#   scripts/backup-compose.sh restore <dir>
#
# What a backup holds, each taken from the running containers:
#   postgres-globals.sql      the roles (pg_dumpall --globals-only)
#   postgres-<db>.dump        STATUS's database and Grafana's own (pg_dump custom format: one consistent snapshot each)
#   mongo-registry.archive.gz the registry's MongoDB, all of its databases: the registry's own and admin (its users)
#   nodered-data.tar.gz       the Node-RED volume (/data: flows, encrypted credentials, installed nodes)
#   SHA256SUMS                checked before a restore
# It does not hold .env (the secrets, among them STATUS_ENCRYPTION_KEY, without which the stored credentials cannot be
# read): keep a copy of .env apart from the backups.
#
# A restore first backs up the current state into <dir>.before-restore-<time> (nothing is lost), stops what writes,
# loads each part, and starts the stack again. Set COMPOSE_FILE for the development file (default: production).
set -euo pipefail
cd "$(dirname "$0")/.."

compose=(docker compose -f "${COMPOSE_FILE:-docker-compose.prod.yml}")
status_db="${STATUS_DB_NAME:-status}"
# Grafana's own settings database (docker-compose.base.yml, GF_DATABASE_NAME).
grafana_db="grafana_state"
# The services that write to the stores, stopped during a restore.
writers=(status-backend worker registry director grafana nodered)
parts=(postgres-globals.sql "postgres-$status_db.dump" "postgres-$grafana_db.dump" mongo-registry.archive.gz nodered-data.tar.gz)

usage() {
  sed -n '4,5p' "$0" | sed 's/^# //'
  exit 2
}

backup() {
  local dir="$1"
  mkdir -p "$dir"
  chmod 700 "$dir"
  echo "backing up into $dir"
  "${compose[@]}" exec -T postgres pg_dumpall -U postgres --globals-only >"$dir/postgres-globals.sql"
  for db in "$status_db" "$grafana_db"; do
    "${compose[@]}" exec -T postgres pg_dump -U postgres --format=custom "$db" >"$dir/postgres-$db.dump"
  done
  # The root credential is the container's own environment, so this needs nothing from .env.
  "${compose[@]}" exec -T mongo-registry sh -c \
    'mongodump --quiet --archive --gzip --authenticationDatabase admin -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD"' \
    >"$dir/mongo-registry.archive.gz"
  "${compose[@]}" exec -T nodered tar -czf - -C /data . >"$dir/nodered-data.tar.gz"
  (cd "$dir" && sha256sum "${parts[@]}" >SHA256SUMS)
  chmod 600 "$dir"/*
  echo "backup complete: $dir"
}

restore() {
  local dir="$1"
  [ -f "$dir/SHA256SUMS" ] || { echo "$dir holds no SHA256SUMS: not a backup of this script" >&2; exit 1; }
  (cd "$dir" && sha256sum --check --quiet SHA256SUMS) || { echo "$dir is damaged (SHA256SUMS)" >&2; exit 1; }
  backup "${dir%/}.before-restore-$(date -u +%Y-%m-%dT%H-%M-%SZ)"

  echo "restoring $dir"
  "${compose[@]}" stop "${writers[@]}"
  # Roles first; those that exist already (postgres itself) make psql complain, which is expected.
  "${compose[@]}" exec -T postgres psql -q -U postgres -d postgres <"$dir/postgres-globals.sql" || true
  for db in "$status_db" "$grafana_db"; do
    "${compose[@]}" exec -T postgres pg_restore -U postgres --clean --if-exists --exit-on-error -d "$db" \
      <"$dir/postgres-$db.dump"
  done
  "${compose[@]}" exec -T mongo-registry sh -c \
    'mongorestore --quiet --drop --archive --gzip --authenticationDatabase admin -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD"' \
    <"$dir/mongo-registry.archive.gz"
  # Node-RED is stopped: a one-off container on the same volume replaces its contents.
  "${compose[@]}" run --rm --no-deps -T --entrypoint sh nodered -c \
    'find /data -mindepth 1 -delete && tar -xzf - -C /data' <"$dir/nodered-data.tar.gz"
  "${compose[@]}" up -d
  echo "restore complete; STATUS applies any newer migration as it starts"
}

case "${1:-}" in
  backup) backup "${2:-backups/$(date -u +%Y-%m-%dT%H-%M-%SZ)}" ;;
  restore) [ -n "${2:-}" ] || usage; restore "$2" ;;
  *) usage ;;
esac
