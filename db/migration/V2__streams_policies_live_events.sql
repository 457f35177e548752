create table streams (
    id           uuid primary key,
    tenant_id    uuid not null references tenants (id),
    -- The broadcaster's own id for the stream; players and the API may use it instead of ours.
    external_id  varchar(128) not null,
    name         varchar(200) not null,
    kind         varchar(8) not null check (kind in ('LIVE', 'VOD')),
    -- [{"id": "720p", "bitrate": 3000000, "resolution": "1280x720"}, ...]
    renditions   jsonb not null default '[]',
    manifest_url varchar(2000),
    sensitive    boolean not null default false,
    archived     boolean not null default false,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    version      bigint not null default 0
);
create unique index streams_external_id_key on streams (tenant_id, external_id);
create index streams_tenant_name_idx on streams (tenant_id, archived, lower(name), id);

-- Every change of a tenant default (stream_id null) or a stream override is a new row; the newest
-- row of a scope is the policy in force. Rows are never updated or deleted.
create table policy_versions (
    id            bigint generated always as identity primary key,
    tenant_id     uuid not null references tenants (id),
    stream_id     uuid references streams (id),
    version       integer not null check (version > 0),
    -- Only the fields set at this level; a missing field inherits from the level below.
    fields        jsonb not null,
    diff          jsonb not null,
    actor         varchar(254) not null,
    source        varchar(16) not null check (source in ('DASHBOARD', 'API', 'SYSTEM')),
    restored_from integer,
    created_at    timestamptz not null
);
create unique index policy_versions_scope_key
    on policy_versions (tenant_id, coalesce(stream_id, '00000000-0000-0000-0000-000000000000'::uuid), version);

create table live_events (
    id           uuid primary key,
    tenant_id    uuid not null references tenants (id),
    stream_id    uuid not null references streams (id),
    name         varchar(200) not null,
    starts_at    timestamptz not null,
    ends_at      timestamptz not null,
    overrides    jsonb not null,
    created_by   varchar(254) not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    cancelled_at timestamptz,
    check (ends_at > starts_at)
);
create index live_events_stream_time_idx on live_events (tenant_id, stream_id, starts_at);
create index live_events_tenant_time_idx on live_events (tenant_id, ends_at);

-- An engaged kill switch is a row; releasing it deletes the row (the audit log keeps the history).
create table kill_switches (
    tenant_id  uuid not null references tenants (id),
    -- null: the whole tenant.
    stream_id  uuid references streams (id),
    reason     varchar(500),
    engaged_by varchar(254) not null,
    engaged_at timestamptz not null
);
create unique index kill_switches_scope_key
    on kill_switches (tenant_id, coalesce(stream_id, '00000000-0000-0000-0000-000000000000'::uuid));
