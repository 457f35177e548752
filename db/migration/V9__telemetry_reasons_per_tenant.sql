-- "Why not p2p" for a whole organisation reads the reasons per tenant and hour instead of the full reasons
-- (V3: by stream, device, network and NAT type; a busy month is 130,000 rows, this is a few thousand), and a
-- stream's breakdown reads only that stream's rows (docs/telemetry.md).
--
-- The per-tenant sums are kept by triggers on telemetry_reasons_hour rather than by the application, so they
-- follow it whoever writes: a replica of the previous version during a rolling upgrade, a bulk load
-- (bench/analytics-data.sql), the expiry of old hours. One statement-level trigger per kind of change adds
-- what the statement changed, grouped. An upsert fires two of them (its updates', then its inserts'), so
-- TelemetryStore first takes all the rows it will touch in one pass in key order: writers never wait on each
-- other in a cycle. Changes that skip triggers (TRUNCATE, session_replication_role = replica, a data-only
-- restore with triggers disabled) must be followed by telemetry_rebuild_coarser_sums for each tenant.
--
-- Telemetry writes wait while this migration runs: the index and the backfill read every row of
-- telemetry_reasons_hour (measured: about a second per million rows). On a large installation run it before
-- the rollout, at a quiet hour (README, Upgrading); players retry what is refused meanwhile.
create table telemetry_reasons_hour_tenant (
    tenant_id uuid not null,
    bucket    timestamptz not null,
    reason    varchar(40) not null,
    events    bigint not null,
    viewer_ms bigint not null,
    primary key (tenant_id, bucket, reason)
);

create index telemetry_reasons_hour_by_stream on telemetry_reasons_hour (tenant_id, stream_id, bucket)
    include (reason, viewer_ms);

create function telemetry_reasons_hour_tenant_add() returns trigger language plpgsql as $$
begin
    -- Transition tables exist only for the change the trigger is for: each branch reads its own.
    if tg_op = 'INSERT' then
        insert into telemetry_reasons_hour_tenant as t (tenant_id, bucket, reason, events, viewer_ms)
        select tenant_id, bucket, reason, sum(events), sum(viewer_ms) from added
        group by 1, 2, 3 order by 1, 2, 3
        on conflict (tenant_id, bucket, reason) do update
            set events = t.events + excluded.events, viewer_ms = t.viewer_ms + excluded.viewer_ms;
    elsif tg_op = 'UPDATE' then
        insert into telemetry_reasons_hour_tenant as t (tenant_id, bucket, reason, events, viewer_ms)
        select tenant_id, bucket, reason, sum(events), sum(viewer_ms) from (
            select tenant_id, bucket, reason, events, viewer_ms from added
            union all
            select tenant_id, bucket, reason, -events, -viewer_ms from removed) d
        group by 1, 2, 3 order by 1, 2, 3
        on conflict (tenant_id, bucket, reason) do update
            set events = t.events + excluded.events, viewer_ms = t.viewer_ms + excluded.viewer_ms;
    else
        update telemetry_reasons_hour_tenant t set events = t.events - d.events, viewer_ms = t.viewer_ms - d.viewer_ms
        from (select tenant_id, bucket, reason, sum(events) events, sum(viewer_ms) viewer_ms from removed
              group by 1, 2, 3 order by 1, 2, 3) d
        where t.tenant_id = d.tenant_id and t.bucket = d.bucket and t.reason = d.reason;
        delete from telemetry_reasons_hour_tenant t using (select distinct tenant_id, bucket, reason from removed) d
        where t.tenant_id = d.tenant_id and t.bucket = d.bucket and t.reason = d.reason and t.events = 0;
    end if;
    return null;
end
$$;

create trigger telemetry_reasons_hour_inserted after insert on telemetry_reasons_hour
    referencing new table as added for each statement execute function telemetry_reasons_hour_tenant_add();
create trigger telemetry_reasons_hour_updated after update on telemetry_reasons_hour
    referencing old table as removed new table as added
    for each statement execute function telemetry_reasons_hour_tenant_add();
create trigger telemetry_reasons_hour_deleted after delete on telemetry_reasons_hour
    referencing old table as removed for each statement execute function telemetry_reasons_hour_tenant_add();

insert into telemetry_reasons_hour_tenant
select tenant_id, bucket, reason, sum(events), sum(viewer_ms) from telemetry_reasons_hour group by 1, 2, 3;

-- Rebuilds one tenant's coarser sums (V6), now with its reasons per tenant; for after a bulk load or a change
-- that skipped the triggers, not while the tenant ingests.
create or replace function telemetry_rebuild_coarser_sums(p_tenant uuid) returns void language sql as $$
    delete from telemetry_minute_tenant where tenant_id = p_tenant;
    delete from telemetry_minute_audience where tenant_id = p_tenant;
    delete from telemetry_minute_stream where tenant_id = p_tenant;
    delete from telemetry_hour_total where tenant_id = p_tenant;
    delete from telemetry_hour_audience where tenant_id = p_tenant;
    delete from telemetry_hour_stream where tenant_id = p_tenant;
    delete from telemetry_reasons_hour_tenant where tenant_id = p_tenant;
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
    insert into telemetry_reasons_hour_tenant
    select tenant_id, bucket, reason, sum(events), sum(viewer_ms)
    from telemetry_reasons_hour where tenant_id = p_tenant group by 1, 2, 3;
$$;
