-- AI assistants: instructions, a model (null: the settings' default) and the tools the model may call.
create table assistants (
  id           uuid primary key default gen_random_uuid(),
  name         text not null check (char_length(name) between 1 and 100),
  description  text not null default '' check (char_length(description) <= 2000),
  instructions text not null default '' check (char_length(instructions) <= 20000),
  model        text check (model is null or char_length(model) between 1 and 100),
  tools        text[] not null default '{}',
  is_enabled   boolean not null default true,
  created_by   uuid references users (id) on delete set null,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create unique index assistants_name_key on assistants (lower(name));

-- The knowledge base: uploaded documents, kept as extracted text split into chunks.
create table assistant_documents (
  id              uuid primary key default gen_random_uuid(),
  assistant_id    uuid not null references assistants (id) on delete cascade,
  filename        text not null check (char_length(filename) between 1 and 200),
  content_type    text not null check (content_type in ('application/pdf', 'text/markdown', 'text/plain')),
  size_bytes      integer not null check (size_bytes >= 0),
  character_count integer not null check (character_count >= 0),
  chunk_count     integer not null check (chunk_count >= 0),
  created_by      uuid references users (id) on delete set null,
  created_at      timestamptz not null default now()
);
create index assistant_documents_assistant_idx on assistant_documents (assistant_id, created_at);

-- Chunks are searched with full-text search. The 'simple' configuration (no stemming, no stop words) works for any
-- language and exists on every Postgres, PGlite included; the vector is generated, so it never drifts from the text.
create table document_chunks (
  id           bigint generated always as identity primary key,
  document_id  uuid not null references assistant_documents (id) on delete cascade,
  assistant_id uuid not null references assistants (id) on delete cascade,
  chunk_index  integer not null check (chunk_index >= 0),
  content      text not null,
  search       tsvector generated always as (to_tsvector('simple', content)) stored,
  constraint document_chunks_position_key unique (document_id, chunk_index)
);
create index document_chunks_search_idx on document_chunks using gin (search);
create index document_chunks_assistant_idx on document_chunks (assistant_id);

-- Conversations belong to the user who started them; nobody else reads them (not even ADMIN, through the API).
create table conversations (
  id           uuid primary key default gen_random_uuid(),
  assistant_id uuid not null references assistants (id) on delete cascade,
  owner_id     uuid not null references users (id) on delete cascade,
  title        text not null check (char_length(title) between 1 and 200),
  is_archived  boolean not null default false,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now()
);
create index conversations_owner_idx on conversations (owner_id, assistant_id, is_archived, updated_at desc);

-- Every message of a conversation in order: the user's, the assistant's (text and tool calls) and each tool's
-- result, so the context sent to the model is rebuilt from the database on every turn.
create table messages (
  id                uuid primary key default gen_random_uuid(),
  seq               bigint generated always as identity,
  conversation_id   uuid not null references conversations (id) on delete cascade,
  role              text not null check (role in ('user', 'assistant', 'tool')),
  content           text not null default '',
  tool_calls        jsonb not null default '[]'::jsonb check (jsonb_typeof(tool_calls) = 'array'),
  tool_call_id      text,
  tool_name         text,
  tool_summary      text,
  is_tool_error     boolean not null default false,
  citations         jsonb not null default '{"controls":[],"computations":[],"documents":[]}'::jsonb,
  draft_flow        jsonb check (draft_flow is null or jsonb_typeof(draft_flow) = 'array'),
  model             text,
  prompt_tokens     integer not null default 0,
  completion_tokens integer not null default 0,
  created_at        timestamptz not null default now(),
  constraint messages_tool_check check ((role = 'tool') = (tool_call_id is not null))
);
create index messages_conversation_idx on messages (conversation_id, seq);

-- One row of settings. The API key is AES-256-GCM encrypted with STATUS_ENCRYPTION_KEY ("v1:iv:tag:ciphertext");
-- null columns fall back to the configuration (OPENAI_* variables).
create table ai_settings (
  id                  boolean primary key default true check (id),
  api_key_encrypted   text,
  api_key_last4       text,
  base_url            text,
  default_model       text,
  daily_request_limit integer check (daily_request_limit is null or daily_request_limit >= 0),
  daily_token_limit   integer check (daily_token_limit is null or daily_token_limit >= 0),
  updated_by          uuid references users (id) on delete set null,
  updated_at          timestamptz not null default now()
);

-- Model requests and tokens per user and UTC day, for the daily limits and the usage report.
create table ai_usage (
  user_id           uuid not null references users (id) on delete cascade,
  day               date not null,
  requests          integer not null default 0,
  prompt_tokens     bigint not null default 0,
  completion_tokens bigint not null default 0,
  primary key (user_id, day)
);
create index ai_usage_day_idx on ai_usage (day);
