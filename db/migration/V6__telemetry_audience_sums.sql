-- Sums by audience (cohort, device, network and, per hour, NAT type) without stream or rendition, and a
-- per-tenant minute total, so that series broken down or filtered by device, network or NAT type and the
-- busiest minute of a month read thousands of rows instead of the full sums' millions (docs/telemetry.md).
--   telemetry_minute_tenant:   per tenant                                (busiest minute, unfiltered series)
--   telemetry_minute_audience: per tenant, cohort, device and network    (replaces telemetry_minute_total)
--   telemetry_hour_audience:   per tenant, cohort, device, network, NAT
-- telemetry_minute_total goes: its rows are the audience rows summed. A replica of the previous version
-- still running during a rolling upgrade then fails to store telemetry and answers 503, so players retry
-- on an upgraded replica: nothing acknowledged is lost and no sums table misses what they stored.
create table telemetry_minute_tenant (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
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
    primary key (tenant_id, bucket)
);

create table telemetry_minute_audience (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
    cohort         varchar(8) not null,
    device         varchar(8) not null,
    network        varchar(10) not null,
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
    primary key (tenant_id, bucket, cohort, device, network)
);

create table telemetry_hour_audience (
    tenant_id      uuid not null,
    bucket         timestamptz not null,
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
    battery_drain  double precision not null,
    battery_ms     bigint not null,
    primary key (tenant_id, bucket, cohort, device, network, nat)
);

drop table telemetry_minute_total;

-- Rebuilds one tenant's coarser sums from its full minute and hour sums. For filling them after a bulk
-- load (bench/analytics-queries.sh) or when a release adds a sums table; not while the tenant ingests, as
-- its rows are replaced. A migration that adds a sums table replaces this function.
create function telemetry_rebuild_coarser_sums(p_tenant uuid) returns void language sql as $$
    delete from telemetry_minute_tenant where tenant_id = p_tenant;
    delete from telemetry_minute_audience where tenant_id = p_tenant;
    delete from telemetry_minute_stream where tenant_id = p_tenant;
    delete from telemetry_hour_total where tenant_id = p_tenant;
    delete from telemetry_hour_audience where tenant_id = p_tenant;
    delete from telemetry_hour_stream where tenant_id = p_tenant;
    insert into telemetry_minute_tenant
    select tenant_id, bucket, sum(events), sum(viewer_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up),
        sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events), sum(battery_drain), sum(battery_ms)
    from telemetry_minute where tenant_id = p_tenant group by 1, 2;
    insert into telemetry_minute_audience
    select tenant_id, bucket, cohort, device, network, sum(events), sum(viewer_ms), sum(cdn_bytes),
        sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum),
        sum(latency_events), sum(battery_drain), sum(battery_ms)
    from telemetry_minute where tenant_id = p_tenant group by 1, 2, 3, 4, 5;
    insert into telemetry_minute_stream
    select tenant_id, bucket, stream_id, sum(events), sum(viewer_ms), sum(cdn_bytes), sum(p2p_bytes_down),
        sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events),
        sum(battery_drain), sum(battery_ms)
    from telemetry_minute where tenant_id = p_tenant group by 1, 2, 3;
    insert into telemetry_hour_total
    select tenant_id, bucket, cohort, sum(events), sum(viewer_ms), sum(cdn_bytes), sum(p2p_bytes_down),
        sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum), sum(latency_events),
        sum(battery_drain), sum(battery_ms)
    from telemetry_hour where tenant_id = p_tenant group by 1, 2, 3;
    insert into telemetry_hour_audience
    select tenant_id, bucket, cohort, device, network, nat, sum(events), sum(viewer_ms), sum(cdn_bytes),
        sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum),
        sum(latency_events), sum(battery_drain), sum(battery_ms)
    from telemetry_hour where tenant_id = p_tenant group by 1, 2, 3, 4, 5, 6;
    insert into telemetry_hour_stream
    select tenant_id, bucket, stream_id, rendition, cohort, sum(events), sum(viewer_ms), sum(cdn_bytes),
        sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms), sum(rebuffer_ms), sum(latency_ms_sum),
        sum(latency_events), sum(battery_drain), sum(battery_ms)
    from telemetry_hour where tenant_id = p_tenant group by 1, 2, 3, 4, 5;
$$;

select telemetry_rebuild_coarser_sums(tenant_id) from (select distinct tenant_id from telemetry_hour) t;
