-- Webhooks (io.meshcp.webhooks): an organisation's endpoints, the events it is told of, and each delivery of an
-- event to an endpoint. An event and its deliveries are written by the transaction that makes the change they tell
-- of, so a change that commits is always told and one that rolls back never is; a delivery is a row until it is
-- delivered or given up, so deliveries survive a restart of every node.
create table webhook_endpoints (
    id                    uuid primary key,
    tenant_id             uuid not null references tenants (id),
    url                   varchar(2048) not null,
    description           varchar(200) not null default '',
    -- The event types it wants ('kill_switch.engaged', ...).
    event_types           text[] not null,
    -- HMAC-SHA256 keys: deliveries are signed with the secret and, until previous_secret_until, with the secret it
    -- replaced as well, so a receiver can switch over without missing one.
    secret                varchar(64) not null,
    previous_secret       varchar(64),
    previous_secret_until timestamptz,
    enabled               boolean not null default true,
    -- Why it was disabled, when deliveries had failed for a day; null when a person disabled it or it is enabled.
    disabled_reason       varchar(300),
    -- When its deliveries started failing without a success since; null while the last one succeeded.
    failing_since         timestamptz,
    created_at            timestamptz not null,
    created_by            varchar(320) not null
);
create index webhook_endpoints_tenant on webhook_endpoints (tenant_id);

create table webhook_events (
    id          uuid primary key,
    tenant_id   uuid not null references tenants (id),
    type        varchar(64) not null,
    occurred_at timestamptz not null,
    -- The body every delivery of it sends, byte for byte (signatures are over it).
    body        text not null,
    -- What makes an event that several nodes may notice (a live event that started) one event.
    dedupe_key  varchar(200),
    unique (tenant_id, dedupe_key)
);
create index webhook_events_occurred_at on webhook_events (occurred_at);

create table webhook_deliveries (
    id              bigint generated always as identity primary key,
    tenant_id       uuid not null references tenants (id),
    endpoint_id     uuid not null references webhook_endpoints (id) on delete cascade,
    event_id        uuid not null references webhook_events (id) on delete cascade,
    state           varchar(16) not null check (state in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer not null default 0,
    -- When it is due; while a node sends it, when that node's claim on it lapses (a node that died mid-send).
    next_attempt_at timestamptz not null,
    created_at      timestamptz not null,
    last_attempt_at timestamptz,
    last_status     integer,
    last_latency_ms integer,
    last_error      varchar(500),
    last_response   varchar(1024),
    delivered_at    timestamptz
);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where state = 'PENDING';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id desc);
create index webhook_deliveries_event on webhook_deliveries (event_id);

-- Row-level security as V13 gives every table: an organisation's scope sees its own rows, the system scope (the
-- node that sends deliveries) all of them.
do $$
declare
    t text;
begin
    foreach t in array array['webhook_endpoints', 'webhook_events', 'webhook_deliveries'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy owner_role on %I to %I using (true)', t, current_user);
        execute format('create policy system_scope on %I to meshcp_system_scope using (true)', t);
        execute format('create policy tenant_scope on %I to meshcp_tenant_scope '
            || 'using (tenant_id = (select meshcp_tenant()))', t);
        execute format('grant select, insert, update, delete on %I to meshcp_tenant_scope, meshcp_system_scope', t);
    end loop;
end
$$;

-- Each node looks for live events whose window began or ended in the last minutes, of every organisation, to tell
-- their endpoints (io.meshcp.webhooks.WebhookEventSources).
create index live_events_starts_at on live_events (starts_at);
create index live_events_ends_at on live_events (ends_at);
