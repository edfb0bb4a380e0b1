-- STATUS: database initialisation. The postgres image runs it once, on an empty data directory, as the superuser
-- (initdb.d/10-status.sh passes the names and passwords below as psql variables). It is safe to run again.
--
--   app_db, app_user, app_password                       the API's database and the role that owns it and migrates it
--   grafana_user, grafana_password                       Grafana's datasource: reads the curated reporting views only
--   grafana_state_db, grafana_state_user, grafana_state_password   Grafana's own settings, users and dashboards
--
-- The API's tables (users, api_tokens, audit_log, …) are created by its migrations, run as app_user. The reporting
-- views of migration 0007 run with app_user's rights, so the grafana role reads them without any right on a table.
\set ON_ERROR_STOP on

-- The API's role and database.
select format('create role %I login password %L', :'app_user', :'app_password')
 where not exists (select from pg_roles where rolname = :'app_user') \gexec
select format('create database %I owner %I encoding %L template template0', :'app_db', :'app_user', 'UTF8')
 where not exists (select from pg_database where datname = :'app_db') \gexec
revoke all on database :"app_db" from public;

-- Grafana's reading role: no superuser, no inheritance, read-only sessions, bounded queries.
select format('create role %I login noinherit password %L', :'grafana_user', :'grafana_password')
 where not exists (select from pg_roles where rolname = :'grafana_user') \gexec
alter role :"grafana_user" set default_transaction_read_only = on;
alter role :"grafana_user" set statement_timeout = '30s';
alter role :"grafana_user" connection limit 20;
grant connect on database :"app_db" to :"grafana_user";

-- Grafana's own state (its users, preferences, service accounts), apart from STATUS data.
select format('create role %I login password %L', :'grafana_state_user', :'grafana_state_password')
 where not exists (select from pg_roles where rolname = :'grafana_state_user') \gexec
select format('create database %I owner %I encoding %L template template0', :'grafana_state_db', :'grafana_state_user', 'UTF8')
 where not exists (select from pg_database where datname = :'grafana_state_db') \gexec
revoke all on database :"grafana_state_db" from public;

\connect :"app_db"

-- Only the owner uses the public schema (the API's tables): other roles cannot even look up names in it.
revoke all on schema public from public;

-- The curated views live in `reporting` (migration 0007 fills it). The schema is created here, owned by the API's
-- role, so the grants below exist before the views do: every view the migrations add is readable by Grafana.
select format('create schema if not exists reporting authorization %I', :'app_user') \gexec
revoke all on schema reporting from public;
grant usage on schema reporting to :"grafana_user";
alter default privileges for role :"app_user" in schema reporting grant select on tables to :"grafana_user";
grant select on all tables in schema reporting to :"grafana_user";
