-- How long a tenant's raw telemetry is kept. Raw events are partitioned by this retention first and by day
-- second, so expiry drops whole partitions instead of deleting rows (docs/telemetry.md).
alter table tenants add column telemetry_retention_days smallint not null default 30
    check (telemetry_retention_days in (7, 30, 90, 365));

-- One row per heartbeat. The tenant comes from the key that sent it; no client address is stored.
-- Replays are recognised by (tenant, event id, ts): a retried batch carries the same events.
create table telemetry_events (
    tenant_id      uuid not null,
    retention_days smallint not null,
    event_id       uuid not null,
    ts             timestamptz not null,
    received_at    timestamptz not null,
    session_id     varchar(128) not null,
    stream_id      uuid not null,
    rendition      varchar(64) not null,
    cohort         varchar(8) not null,
    interval_ms    integer not null,
    cdn_bytes      bigint not null,
    p2p_bytes_down bigint not null,
    p2p_bytes_up   bigint not null,
    peers          smallint not null,
    play_ms        integer not null,
    rebuffer_ms    integer not null,
    latency_ms     integer,
    battery        real,
    charging       boolean,
    network        varchar(10) not null,
    device         varchar(8) not null,
    nat            varchar(16) not null,
    player         varchar(64),
    sdk            varchar(64),
    p2p_reasons    text[] not null,
    primary key (tenant_id, event_id, ts, retention_days)
) partition by list (retention_days);

create table telemetry_events_r7 partition of telemetry_events for values in (7) partition by range (ts);
create table telemetry_events_r30 partition of telemetry_events for values in (30) partition by range (ts);
create table telemetry_events_r90 partition of telemetry_events for values in (90) partition by range (ts);
create table telemetry_events_r365 partition of telemetry_events for values in (365) partition by range (ts);
-- Daily partitions below these (telemetry_events_r30_20261125, ...) are created ahead and dropped by the
-- application (TelemetryPartitions).

-- Sums per minute and per hour, maintained in the transaction that stores the raw events and only from
-- events stored for the first time, so replays never count twice and late events land in their own bucket.
-- viewer_ms is the playback time the heartbeats cover: divided by the bucket's length it is the average
-- number of concurrent viewers.
create table telemetry_minute (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
    stream_id      uuid not null,
    rendition      varchar(64) not null,
    cohort         varchar(8) not null,
    device         varchar(8) not null,
    network        varchar(10) not null,
    nat            varchar(16) not null,
    events         bigint not null,
    viewer_ms      bigint not null,
    cdn_bytes      bigint not null,
    p2p_bytes_down bigint not null,
    p2p_bytes_up   bigint not null,
    play_ms        bigint not null,
    rebuffer_ms    bigint not null,
    latency_ms_sum bigint not null,
    latency_events bigint not null,
    -- Battery level lost (0..1 per device) over unplugged playback between consecutive heartbeats of a
    -- session, and how long that playback was.
    battery_drain  double precision not null,
    battery_ms     bigint not null,
    primary key (tenant_id, bucket, stream_id, rendition, cohort, device, network, nat)
);

create table telemetry_hour (like telemetry_minute including all);

-- Why players were not (fully) p2p: viewer time per reason code, per hour.
create table telemetry_reasons_hour (
    tenant_id uuid not null,
    bucket    timestamptz not null,
    stream_id uuid not null,
    device    varchar(8) not null,
    network   varchar(10) not null,
    nat       varchar(16) not null,
    reason    varchar(40) not null,
    events    bigint not null,
    viewer_ms bigint not null,
    primary key (tenant_id, bucket, stream_id, device, network, nat, reason)
);

-- The last heartbeat seen of each playback session, to measure battery drain between heartbeats.
create table telemetry_sessions (
    tenant_id  uuid not null,
    session_id varchar(128) not null,
    last_ts    timestamptz not null,
    battery    real,
    charging   boolean,
    primary key (tenant_id, session_id)
);
create index telemetry_sessions_last_ts_idx on telemetry_sessions (last_ts);
