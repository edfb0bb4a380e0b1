#!/bin/sh
# Run once by the postgres image on an empty data directory: applies /status/init.sql (postgres/init.sql) with the
# names and passwords from the container's environment (set by the compose files).
set -eu
: "${STATUS_DB_PASSWORD:?STATUS_DB_PASSWORD must be set}"
: "${GRAFANA_DB_PASSWORD:?GRAFANA_DB_PASSWORD must be set}"
: "${GRAFANA_STATE_DB_PASSWORD:?GRAFANA_STATE_DB_PASSWORD must be set}"
psql --no-psqlrc --username "$POSTGRES_USER" --dbname postgres \
  -v app_db="${STATUS_DB_NAME:-status}" \
  -v app_user="${STATUS_DB_USER:-status}" \
  -v app_password="$STATUS_DB_PASSWORD" \
  -v grafana_user="${GRAFANA_DB_USER:-grafana}" \
  -v grafana_password="$GRAFANA_DB_PASSWORD" \
  -v grafana_state_db=grafana_state \
  -v grafana_state_user=grafana_state \
  -v grafana_state_password="$GRAFANA_STATE_DB_PASSWORD" \
  -f /status/init.sql
