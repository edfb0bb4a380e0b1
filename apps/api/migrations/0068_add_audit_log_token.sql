-- The personal API token behind an audited change and its scopes at the time (null for sessions, the system and
-- unscoped tokens' scopes), so a change made by automation is told apart from one made by its owner in the SPA.
-- No foreign key (as for actor_id): the audit trail outlives the token.
alter table audit_log
  add column token_id uuid,
  add column token_scopes text[];
