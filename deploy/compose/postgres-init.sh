#!/usr/bin/env bash
# PostgreSQL's first start (docker-entrypoint-initdb.d, as the superuser): the platform's three logins and its
# database, as deploy/local/servers.sh provisions them locally (README "Database roles and broker users").
# Passwords come from the container's environment and reach psql as variables, never in a command line.
set -euo pipefail
: "${TP_PG_OWNER_PASSWORD:?}" "${TP_PG_APP_PASSWORD:?}" "${TP_PG_DISPATCHER_PASSWORD:?}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$TP_PG_OWNER_PASSWORD" -v app_password="$TP_PG_APP_PASSWORD" \
  -v dispatcher_password="$TP_PG_DISPATCHER_PASSWORD" <<'SQL'
CREATE ROLE trust_owner LOGIN CREATEDB BYPASSRLS NOSUPERUSER NOCREATEROLE PASSWORD :'owner_password';
-- The request path: owns nothing, cannot bypass row-level security.
CREATE ROLE trust_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
-- The outbox dispatcher: the migrations grant it EXECUTE on the outbox functions only.
CREATE ROLE trust_dispatcher LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'dispatcher_password';
GRANT trust_app TO trust_owner;
GRANT trust_dispatcher TO trust_owner;
CREATE DATABASE trust_platform OWNER trust_owner;
\connect trust_platform
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
