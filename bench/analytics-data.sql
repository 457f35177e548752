-- Prepares the fill of one tenant with :events heartbeats over the 30 days before now: the playback sessions
-- they belong to, the day partitions, and two functions in the schema bench_fill that bench/analytics-queries.sh
-- then calls for each UTC day (on several connections at once): bench_fill.heartbeats(tenant, day) writes the
-- day's heartbeats straight into its partition of telemetry_events, and afterwards bench_fill.sums(tenant, day)
-- builds the day's minute, hour and reason sums from those rows with the semantics of TelemetryStore. psql
-- variables: tenant (the tenant's id) and events (how many heartbeats). The tenant's streams (created through
-- the API, most popular first) and live events must exist already; the tenant must have no telemetry yet (the
-- sums are inserted, not merged). The script drops bench_fill when the days are done.
--
-- Shape: playback sessions, each a run of heartbeats 60 s apart (intervalMs 60000, so the tenant averages
-- :events / 43,200 concurrent viewers). Sessions start along a daily curve (an evening peak in Europe, a
-- lunch bump, busier weekends) on streams picked by a Zipf popularity, plus a crowd on each live event's
-- stream during its window. Each session keeps its device, network, NAT type, cohort (5% holdout), player
-- and starting rendition; heartbeats step down one rendition now and then, rebuffer sometimes, report live
-- latency (tighter inside an event), and on mobile a battery level in 1% steps that drains (faster when
-- uploading) or charges. Offload grows with the stream's audience, is halved behind symmetric NAT and is
-- zero for the holdout; p2pReasons carry the codes client-config would have given.

\set ON_ERROR_STOP on
set timezone = 'UTC';
set client_min_messages = warning;
set work_mem = '512MB';
-- Unlogged: the sessions are scaffolding, read by the day functions on other connections, then dropped.
drop schema if exists bench_fill cascade;
create schema bench_fill;
set search_path = bench_fill, public;

-- Heartbeats every minute; a session lasts at most this many of them, and starts at most this long before
-- the 30 days so the first hours have their audience already.
\set max_heartbeats 400

create unlogged table bench_window as
select (extract(epoch from date_trunc('milliseconds', now())) * 1000)::bigint as to_ms,
       (extract(epoch from date_trunc('milliseconds', now())) * 1000)::bigint - 30 * 86400000::bigint as from_ms,
       :events::bigint / 43200.0 as viewers, :max_heartbeats as max_heartbeats;

-- Popularity falls as 1/rank in creation order; renditions highest first, as the API stored them.
create unlogged table bench_streams as
select id, live, rank, renditions, bitrates, share,
       coalesce(sum(share) over (order by rank rows between unbounded preceding and 1 preceding), 0) as share_from
from (select s.id, s.kind = 'LIVE' as live, s.rank,
             array(select r ->> 'id' from jsonb_array_elements(s.renditions) with ordinality x(r, i) order by i)
                 as renditions,
             array(select (r ->> 'bitrate')::bigint from jsonb_array_elements(s.renditions) with ordinality x(r, i)
                 order by i) as bitrates,
             (1.0 / s.rank) / sum(1.0 / s.rank) over () as share
      from (select id, kind, renditions, row_number() over (order by created_at, external_id) as rank
            from streams where tenant_id = :'tenant' and not archived) s) s;

-- A live event draws a crowd the size of the tenant's average audience times a factor between 0.6 and 1.4.
create unlogged table bench_events as
select e.stream_id, (extract(epoch from e.starts_at) * 1000)::bigint as start_ms,
       (extract(epoch from e.ends_at) * 1000)::bigint as end_ms, 0.6 + 0.8 * random() as crowd
from live_events e where e.tenant_id = :'tenant' and e.cancelled_at is null;

-- Relative audience at an instant (epoch ms): an evening peak around 20:30 UTC, a lunch bump, weekends 20%
-- busier (1970-01-01 was a Thursday). One expression, so that PostgreSQL inlines it.
create function bench_curve(t_ms bigint) returns float8 language sql immutable as $$
    select (0.22 + 0.78 * exp(-power(least(abs((t_ms % 86400000) / 3600000.0::float8 - 20.5),
                                           24 - abs((t_ms % 86400000) / 3600000.0::float8 - 20.5)), 2) / (2 * 3.2 ^ 2))
            + 0.18 * exp(-power((t_ms % 86400000) / 3600000.0::float8 - 12.75, 2) / (2 * 1.5 ^ 2)))
        * case when (t_ms / 86400000 + 3) % 7 >= 5 then 1.2 else 1 end
$$;

create unlogged table bench_minutes as
select m_ms, bench_curve(m_ms) as curve
from bench_window w, generate_series(w.from_ms - :max_heartbeats * 60000::bigint, w.to_ms - 60000, 60000) m_ms;

-- Candidate sessions: more than needed, thinned below to exactly :events heartbeats.
create unlogged table bench_candidates as
select c.start_ms, (select s.rank from bench_streams s where s.share_from <= c.u order by s.share_from desc limit 1)
           as stream_rank,
       c.heartbeats, false as in_crowd
from (select m.m_ms + (random() * 60000)::bigint as start_ms, random() as u,
             least(:max_heartbeats, 1 + floor(-ln(1 - random()) * 37))::int as heartbeats
      from bench_minutes m, bench_window w,
           lateral generate_series(1, floor(1.3 * w.viewers / 38.0 * m.curve
               / (select avg(curve) from bench_minutes) + random())::int)) c;

-- The crowd arrives around the start (most of it early); most of it stays to the end.
insert into bench_candidates
select c.start_ms, c.stream_rank, least(:max_heartbeats, case
           when c.stays < 0.65 then greatest(1, (c.end_ms - c.start_ms) / 60000 + floor(random() * 10))
           else 1 + floor(-ln(1 - random()) * 25) end)::int, true
from (select e.start_ms - 600000 + (power(random(), 2) * greatest(60000, e.end_ms - e.start_ms - 300000))::bigint
                 as start_ms, e.end_ms, s.rank as stream_rank, random() as stays
      from bench_events e join bench_streams s on s.id = e.stream_id, bench_window w,
           lateral generate_series(1, (1.3 * 1.4 * e.crowd * w.viewers)::int)) c;

-- Keep only the heartbeats inside the 30 days, then sessions in random order until exactly :events.
create unlogged table bench_kept as
select *, least(k_last, k_first + :events - kept_before - 1)::int as k_hi
from (select c.*, k_first, k_last,
             coalesce(sum(k_last - k_first + 1) over (order by random() rows between unbounded preceding
                 and 1 preceding), 0) as kept_before
      from bench_candidates c, bench_window w,
           lateral (select greatest(0, ceil((w.from_ms - c.start_ms) / 60000.0))::int as k_first,
                           least(c.heartbeats - 1, ceil((w.to_ms - c.start_ms) / 60000.0)::int - 1) as k_last) k
      where k_last >= k_first) x
where kept_before < :events;

select sum(k_hi - k_first + 1) < :events as missing from bench_kept \gset
\if :missing
\echo 'too few candidate sessions for' :events 'heartbeats'
\quit 3
\endif

-- Per-session traits, each from its own draw, correlated the way they are in the field: phones are on
-- cellular or Wi-Fi, cellular is mostly behind carrier-grade (symmetric) NAT, TVs and desktops watch higher
-- renditions. A stream's audience when the session starts sets its offload, and whether anyone else was
-- there to share with (Poisson: the chance that nobody else watches).
create unlogged table bench_sessions as
select k.start_ms, k.k_first, k.k_hi, s.id as stream_id, s.live, s.renditions, s.bitrates,
       -- What client-config hands out is opaque: 8-128 of [A-Za-z0-9_-].
       'b' || substr(md5(k.start_ms || ':' || k.stream_rank || ':' || u.u0), 1, 23) as session_id,
       k.event_start, k.event_end, d.device, n.network, t.nat, u.u2 < 0.05 as holdout,
       u.u3 < exp(-least(k.audience, 100)) as alone,
       least(array_length(s.renditions, 1), case d.device when 'tv' then 1
           when 'desktop' then case when u.u5 < 0.6 then 1 else 2 end else case when u.u5 < 0.5 then 2 else 3 end end)
           as rendition,
       p.player,
       case when p.player = 'ExoPlayer 2.19' and d.device = 'mobile' then 'meshcp-android/1.2'
            when p.player = 'AVPlayer 17' then 'meshcp-ios/1.1' when d.device = 'tv' then 'meshcp-tv/1.0'
            else 'meshcp-js/1.0' end as sdk,
       0.25 + 0.75 * u.u7 as battery0,
       -- About 10 points of battery an hour on the CDN, a fifth more when also uploading to peers.
       0.00167 * (0.85 + 0.3 * u.u11) * case when u.u2 >= 0.05 and n.network <> 'cellular' then 1.2 else 1 end
           as drain,
       case when u.u8 < 0.2 then 0 when u.u8 < 0.25 then (u.u9 * (k.k_hi + 1))::int end as plugged_at,
       case when u.u2 < 0.05 or u.u3 < exp(-least(k.audience, 100)) then 0 else 0.85 * (1 - exp(-least(k.audience / 40.0, 100)))
           * case t.nat when 'symmetric' then 0.5 when 'unknown' then 0.75 else 1 end
           * case d.device when 'tv' then 0.9 else 1 end end as offload,
       case when u.u2 < 0.05 then 0.13 else 0.1 end as rebuffer_p
from (select k.*, e.start_ms as event_start, e.end_ms as event_end,
             w.viewers * s.share * bench_curve(k.start_ms) / (select avg(curve) from bench_minutes)
                 + coalesce(e.crowd * w.viewers, 0) as audience
      from bench_kept k join bench_streams s on s.rank = k.stream_rank cross join bench_window w
      left join bench_events e on e.stream_id = s.id and k.start_ms < e.end_ms
          and k.start_ms + k.k_hi * 60000::bigint >= e.start_ms) k
join bench_streams s on s.rank = k.stream_rank,
-- Naming the session's column makes the draws per session rather than once for the statement.
lateral (select random() u0, random() u1, random() u2, random() u3, random() u4, random() u5, random() u6,
                random() u7, random() u8, random() u9, random() u10, random() u11, k.start_ms) u,
lateral (select case when u.u1 < 0.5 then 'mobile' when u.u1 < 0.88 then 'desktop' else 'tv' end as device) d,
lateral (select case d.device
             when 'mobile' then case when u.u4 < 0.42 then 'cellular' when u.u4 < 0.96 then 'wifi' else 'unknown' end
             when 'desktop' then case when u.u4 < 0.55 then 'wifi' when u.u4 < 0.95 then 'ethernet' else 'unknown' end
             else case when u.u4 < 0.6 then 'wifi' when u.u4 < 0.98 then 'ethernet' else 'unknown' end end
             as network) n,
lateral (select case when n.network = 'cellular' then
             case when u.u10 < 0.45 then 'symmetric' when u.u10 < 0.75 then 'port-restricted'
                  when u.u10 < 0.85 then 'restricted' when u.u10 < 0.9 then 'full-cone' else 'unknown' end
             else case when u.u10 < 0.08 then 'open' when u.u10 < 0.3 then 'full-cone' when u.u10 < 0.48 then 'restricted'
                  when u.u10 < 0.83 then 'port-restricted' when u.u10 < 0.92 then 'symmetric' else 'unknown' end end
             as nat) t,
lateral (select case d.device
             when 'mobile' then case when u.u6 < 0.5 then 'ExoPlayer 2.19' when u.u6 < 0.9 then 'AVPlayer 17'
                 else 'hls.js 1.5' end
             when 'desktop' then case when u.u6 < 0.55 then 'hls.js 1.5' when u.u6 < 0.8 then 'Shaka 4.9'
                 else 'dash.js 4.8' end
             else case when u.u6 < 0.6 then 'Shaka 4.9' else 'ExoPlayer 2.19' end end as player) p;
create index on bench_sessions (start_ms);
analyze bench_sessions;

select format('%s sessions, %s heartbeats, %s heartbeats per session on average', count(*),
              sum(k_hi - k_first + 1), round(avg(k_hi - k_first + 1), 1))
from bench_sessions;

-- One UTC day of heartbeats straight into its partition.
create function heartbeats(p_tenant uuid, p_day date) returns text language plpgsql
    set search_path = bench_fill, public set timezone = 'UTC' as $$
declare
    day_start bigint := extract(epoch from p_day::timestamp) * 1000;
    day_end bigint := day_start + 86400000;
    rows_written bigint;
begin
    execute format($f$
        insert into %I (tenant_id, retention_days, event_id, ts, received_at, session_id, stream_id, rendition,
            cohort, interval_ms, cdn_bytes, p2p_bytes_down, p2p_bytes_up, peers, play_ms, rebuffer_ms, latency_ms,
            battery, charging, network, device, nat, player, sdk, p2p_reasons)
        select $1, 30, gen_random_uuid(), ts, ts + (50 + random() * 1500) * interval '1 millisecond', session_id,
            stream_id, renditions[rendition_now], case when holdout then 'holdout' else 'p2p' end, 60000, bytes - down,
            down, case when uploads then (down * (0.4 + 0.8 * random()))::bigint else 0 end,
            case when holdout or alone then 0 else least(case device when 'desktop' then 10 when 'mobile' then 5
                else 6 end, floor(offload * 12 + random() * 2)) end, 60000 - rebuffer_ms, rebuffer_ms,
            case when live then case when in_event then 1500 + random() * 1000 else 3500 + random() * 4000 end end,
            level, charging, network, device, nat, player, sdk,
            array_remove(array[case when holdout then 'HOLDOUT_COHORT' end, case when alone then 'SWARM_TOO_SMALL' end,
                case when nat = 'symmetric' then 'NAT_SYMMETRIC' end,
                case when network = 'cellular' then 'CELLULAR_UPLOAD_OFF' end,
                case when battery_low then 'BATTERY_LOW' end], null)
        from (select s.*, h.*, b.*,
                     (s.bitrates[h.rendition_now] / 8.0 * (60000 - h.rebuffer_ms) / 1000 * (0.9 + 0.2 * random()))::bigint
                         as bytes,
                     not s.holdout and s.network <> 'cellular' and not b.battery_low as uploads
              from bench_sessions s
              cross join lateral generate_series(greatest(s.k_first, ceil(($2 - s.start_ms) / 60000.0)::int),
                  least(s.k_hi, ceil(($3 - s.start_ms) / 60000.0)::int - 1)) k
              cross join lateral (select timestamptz 'epoch' + (s.start_ms + k * 60000::bigint) * interval '1 millisecond'
                          as ts,
                      least(array_length(s.renditions, 1), s.rendition + (random() < 0.08)::int) as rendition_now,
                      case when random() < s.rebuffer_p then (100 + power(random(), 2) * 3900)::int else 0 end
                          as rebuffer_ms,
                      s.start_ms + k * 60000::bigint between s.event_start and s.event_end - 1 as in_event) h
              cross join lateral (select level, charging,
                      coalesce(s.device = 'mobile' and not charging and level < 0.3, false) as battery_low
                  from (select case when s.device = 'mobile' then s.plugged_at is not null and k >= s.plugged_at end
                                   as charging,
                               case when s.device = 'mobile' then (round(greatest(0.02, least(1.0,
                                   case when s.plugged_at is null or k < s.plugged_at then s.battery0 - s.drain * k
                                   else s.battery0 - s.drain * s.plugged_at + 0.005 * (k - s.plugged_at) end))
                                   * 100) / 100)::real end as level) l) b
              where s.start_ms >= $2 - (select max_heartbeats from bench_window) * 60000::bigint
                and s.start_ms < $3) r,
             lateral (select (bytes * least(0.95, offload * (0.85 + 0.3 * random())))::bigint as down) d
        $f$, 'telemetry_events_r30_' || to_char(p_day, 'YYYYMMDD'))
        using p_tenant, day_start, day_end;
    get diagnostics rows_written = row_count;
    return p_day || ': ' || rows_written || ' heartbeats';
end $$;

-- The sums of one UTC day, exactly as TelemetryStore writes them from the same heartbeats: per minute and
-- per hour of each heartbeat's ts (UTC) and its stream, rendition, cohort, device, network and NAT type,
-- events, viewer_ms (intervalMs), bytes, play and rebuffer time, latency sum and count; battery drain
-- between consecutive heartbeats of a session that carry a level (the previous one may lie up to two
-- intervals and 5 s before the day), both unplugged, the level not risen and no more than two intervals
-- plus 5 s apart, booked in the later heartbeat's cell; and per hour, each p2pReasons code's events and
-- viewer_ms. Generated sessions never repeat a ts, so the previous heartbeat is simply the one before.
create function sums(p_tenant uuid, p_day date) returns text language sql
    -- The day's rows, sorted by session for the drain, stay in memory.
    set search_path = bench_fill, public set timezone = 'UTC' set work_mem = '512MB' as $$
    with windowed as (
        select e.*, lag(ts) over s as prev_ts, lag(battery) over s as prev_battery,
               lag(charging) over s as prev_charging
        from telemetry_events e
        -- The longest interval is an hour: the previous heartbeat may lie two of them and 5 s back.
        where tenant_id = p_tenant and ts >= p_day::timestamptz - interval '2 hours 5 seconds'
          and ts < (p_day + 1)::timestamptz
        window s as (partition by session_id collate "C", battery is null order by ts)
    ), day as materialized (
        select w.*,
               case when drained then (prev_battery - battery)::float8 end as battery_drain,
               case when drained then (extract(epoch from ts - prev_ts) * 1000)::bigint end as battery_ms
        from windowed w,
             lateral (select battery is not null and prev_battery is not null and charging = false
                 and prev_charging = false and battery <= prev_battery
                 and ts - prev_ts <= (2 * interval_ms + 5000) * interval '1 millisecond' as drained) d
        where ts >= p_day::timestamptz
    ), minutes as (
        insert into telemetry_minute
        select tenant_id, date_trunc('minute', ts, 'UTC'), stream_id, rendition, cohort, device, network, nat,
               count(*), sum(interval_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms),
               sum(rebuffer_ms), coalesce(sum(latency_ms), 0), count(latency_ms), coalesce(sum(battery_drain), 0),
               coalesce(sum(battery_ms), 0)
        from day group by 1, 2, 3, 4, 5, 6, 7, 8 order by 2, 3, 4, 5, 6, 7, 8
    ), hours as (
        insert into telemetry_hour
        select tenant_id, date_trunc('hour', ts, 'UTC'), stream_id, rendition, cohort, device, network, nat,
               count(*), sum(interval_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms),
               sum(rebuffer_ms), coalesce(sum(latency_ms), 0), count(latency_ms), coalesce(sum(battery_drain), 0),
               coalesce(sum(battery_ms), 0)
        from day group by 1, 2, 3, 4, 5, 6, 7, 8 order by 2, 3, 4, 5, 6, 7, 8
    ), reasons as (
        insert into telemetry_reasons_hour
        select tenant_id, date_trunc('hour', ts, 'UTC'), stream_id, device, network, nat, reason, count(*),
               sum(interval_ms)
        from day, unnest(p2p_reasons) reason group by 1, 2, 3, 4, 5, 6, 7 order by 2, 3, 4, 5, 6, 7
    )
    select p_day || ': sums of ' || count(*) || ' heartbeats' from day
$$;

-- The partitions TelemetryPartitions would have made for these days (it makes only the last few itself).
create unlogged table bench_days as
select d::date as day
from bench_window w,
     generate_series((to_timestamp(w.from_ms / 1000.0) at time zone 'UTC')::date,
                     (to_timestamp(w.to_ms / 1000.0) at time zone 'UTC')::date, interval '1 day') d;

select format('create table if not exists public.%I partition of public.telemetry_events_r30 for values from (%L) to (%L)',
              'telemetry_events_r30_' || to_char(day, 'YYYYMMDD'), day::timestamp at time zone 'UTC',
              (day + 1)::timestamp at time zone 'UTC')
from bench_days order by day
\gexec
