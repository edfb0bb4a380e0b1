-- Scoped personal API tokens. `scopes` null is a token created before scopes existed: it keeps its user's full
-- access. `limits` names the catalogs and controls a token may reach ({catalogIds?, controlIds?}); null is no limit.
alter table api_tokens
  add column scopes text[] check (
    scopes is null
    or (cardinality(scopes) > 0 and scopes <@ array['read', 'runs:write', 'evidence:write', 'admin']::text[])
  ),
  add column limits jsonb check (limits is null or jsonb_typeof(limits) = 'object');
