-- Organisations. Every tenant-owned row elsewhere carries tenant_id and every lookup is scoped by it.
create table tenants (
    id                      uuid primary key,
    name                    varchar(100) not null,
    cdn_price_per_gb        numeric(12, 6) not null default 0.02 check (cdn_price_per_gb >= 0),
    default_allowed_origins text[] not null default '{}',
    created_at              timestamptz not null
);
create unique index tenants_name_key on tenants (lower(name));

create table users (
    id            uuid primary key,
    email         varchar(254) not null,
    display_name  varchar(100) not null,
    password_hash varchar(500) not null,
    created_at    timestamptz not null
);
create unique index users_email_key on users (lower(email));

-- One membership per user for now (unique user_id); the table keeps the role on the membership
-- so that a user can later belong to several organisations without a schema change.
create table memberships (
    tenant_id  uuid not null references tenants (id),
    user_id    uuid not null references users (id) on delete cascade,
    role       varchar(16) not null check (role in ('OWNER', 'ADMIN', 'OPS', 'VIEWER')),
    created_at timestamptz not null,
    primary key (tenant_id, user_id),
    constraint memberships_one_tenant_per_user unique (user_id)
);

create table invitations (
    id          uuid primary key,
    tenant_id   uuid not null references tenants (id),
    email       varchar(254) not null,
    role        varchar(16) not null check (role in ('OWNER', 'ADMIN', 'OPS', 'VIEWER')),
    token_hash  bytea not null unique,
    invited_by  varchar(254) not null,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    accepted_at timestamptz,
    revoked_at  timestamptz
);
create index invitations_tenant_idx on invitations (tenant_id, created_at desc);

create table api_keys (
    id              uuid primary key,
    tenant_id       uuid not null references tenants (id),
    kind            varchar(16) not null check (kind in ('SECRET', 'PUBLISHABLE')),
    name            varchar(100) not null,
    -- The first characters of the key, shown in lists so people can tell keys apart.
    display_prefix  varchar(16) not null,
    -- SHA-256 of the whole key: keys carry 190+ bits from a CSPRNG, so a fast hash is safe and keeps
    -- verification cheap on the player hot path.
    key_hash        bytea not null unique,
    allowed_origins text[] not null default '{}',
    created_by      varchar(254) not null,
    created_at      timestamptz not null,
    last_used_at    timestamptz,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    replaced_by     uuid references api_keys (id)
);
create index api_keys_tenant_idx on api_keys (tenant_id, created_at desc);

create table audit_events (
    id          bigint generated always as identity primary key,
    -- null only for events that belong to no organisation (a failed login for an unknown address).
    tenant_id   uuid references tenants (id),
    occurred_at timestamptz not null,
    type        varchar(64) not null,
    actor       varchar(254) not null,
    source      varchar(16) not null check (source in ('DASHBOARD', 'API', 'SYSTEM')),
    client_ip   varchar(64),
    details     jsonb not null default '{}'
);
create index audit_events_tenant_time_idx on audit_events (tenant_id, occurred_at desc, id desc);
create index audit_events_tenant_type_time_idx on audit_events (tenant_id, type, occurred_at desc);
