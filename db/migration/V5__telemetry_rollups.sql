-- Coarser sums beside the full minute and hour sums (V3), so that a dashboard query over a month reads
-- thousands of rows instead of millions: the full sums keep every dimension and hold nearly one row per
-- heartbeat at minute level. Same metric columns; written in the same transaction as the full sums.
--   *_total:  per tenant and cohort       (the overview, unfiltered series and summaries, peak viewers)
--   *_stream: per stream (minutes) and per stream, rendition and cohort (hours)
-- Analytics picks the coarsest table whose key covers a query's filters and breakdown (docs/analytics.md).
create table telemetry_minute_total (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
    cohort         varchar(8) not null,
    events         bigint not null,
    viewer_ms      bigint not null,
    cdn_bytes      bigint not null,
    p2p_bytes_down bigint not null,
    p2p_bytes_up   bigint not null,
    play_ms        bigint not null,
    rebuffer_ms    bigint not null,
    latency_ms_sum bigint not null,
    latency_events bigint not null,
    battery_drain  double precision not null,
    battery_ms     bigint not null,
    primary key (tenant_id, bucket, cohort)
);
create table telemetry_hour_total (like telemetry_minute_total including all);

create table telemetry_minute_stream (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
    stream_id      uuid not null,
    events         bigint not null,
    viewer_ms      bigint not null,
    cdn_bytes      bigint not null,
    p2p_bytes_down bigint not null,
    p2p_bytes_up   bigint not null,
    play_ms        bigint not null,
    rebuffer_ms    bigint not null,
    latency_ms_sum bigint not null,
    latency_events bigint not null,
    battery_drain  double precision not null,
    battery_ms     bigint not null,
    primary key (tenant_id, bucket, stream_id)
);
-- One stream over a month: its own rows, not every stream's.
create index telemetry_minute_stream_by_stream on telemetry_minute_stream (tenant_id, stream_id, bucket);

create table telemetry_hour_stream (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
    stream_id      uuid not null,
    rendition      varchar(64) not null,
    cohort         varchar(8) not null,
    events         bigint not null,
    viewer_ms      bigint not null,
    cdn_bytes      bigint not null,
    p2p_bytes_down bigint not null,
    p2p_bytes_up   bigint not null,
    play_ms        bigint not null,
    rebuffer_ms    bigint not null,
    latency_ms_sum bigint not null,
    latency_events bigint not null,
    battery_drain  double precision not null,
    battery_ms     bigint not null,
    primary key (tenant_id, bucket, stream_id, rendition, cohort)
);
create index telemetry_hour_stream_by_stream on telemetry_hour_stream (tenant_id, stream_id, bucket);

-- Queries filtered by a stream and by device or network still read the full sums: only that stream's rows.
create index telemetry_minute_by_stream on telemetry_minute (tenant_id, stream_id, bucket);
create index telemetry_hour_by_stream on telemetry_hour (tenant_id, stream_id, bucket);

-- Existing telemetry gets its coarser sums from the full ones.
insert into telemetry_minute_total
select tenant_id, bucket, cohort, sum(events), sum(viewer_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up),
    sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events), sum(battery_drain), sum(battery_ms)
from telemetry_minute group by 1, 2, 3;
insert into telemetry_hour_total
select tenant_id, bucket, cohort, sum(events), sum(viewer_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up),
    sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events), sum(battery_drain), sum(battery_ms)
from telemetry_hour group by 1, 2, 3;
insert into telemetry_minute_stream
select tenant_id, bucket, stream_id, sum(events), sum(viewer_ms), sum(cdn_bytes), sum(p2p_bytes_down),
    sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events), sum(battery_drain),
    sum(battery_ms)
from telemetry_minute group by 1, 2, 3;
insert into telemetry_hour_stream
select tenant_id, bucket, stream_id, rendition, cohort, sum(events), sum(viewer_ms), sum(cdn_bytes),
    sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events),
    sum(battery_drain), sum(battery_ms)
from telemetry_hour group by 1, 2, 3, 4, 5;
