-- When each kill switch was last engaged, kept after it is released (kill_switches loses the row): signaling
-- tokens issued before it are refused from then on, so a kill switch also ends every token lifted from a page.
create table kill_switch_engagements (
    tenant_id       uuid not null references tenants (id),
    -- null: the whole tenant.
    stream_id       uuid references streams (id),
    last_engaged_at timestamptz not null
);
create unique index kill_switch_engagements_scope_key
    on kill_switch_engagements (tenant_id, coalesce(stream_id, '00000000-0000-0000-0000-000000000000'::uuid));
insert into kill_switch_engagements (tenant_id, stream_id, last_engaged_at)
    select tenant_id, stream_id, engaged_at from kill_switches;

-- Bumped by the broadcaster when a stream's content changes under the same id (a re-encode, a new programme on a
-- channel id): it is part of the swarm id client-config hands out, so viewers of old and new never share segments.
alter table streams add column content_version integer not null default 1;

-- Which rendition a swarm (info hash, as players announce it) carries, as players report it in their telemetry:
-- the live swarm view names renditions instead of info hashes. One row per rendition swarm; a stream's rows that
-- nobody reported for 35 days are removed when the stream's players report a new one.
create table stream_swarm_renditions (
    tenant_id uuid not null references tenants (id),
    stream_id uuid not null references streams (id),
    info_hash varchar(40) not null,
    rendition varchar(64) not null,
    seen_at   timestamptz not null,
    primary key (tenant_id, stream_id, info_hash)
);
