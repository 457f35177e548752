-- The peer of the summary query: the same question (docs/analytics.md) answered from the raw heartbeats
-- instead of the sums, in one statement. Per cohort and in total: events, playback time, bytes, play and
-- rebuffer time, latency sum and count, battery drain between consecutive unplugged heartbeats of a session
-- (as TelemetryStore measures it; a session's heartbeat before the range is not looked at) and its time; and
-- the busiest minute's viewers. psql variables tenant, from, to (instants); run by bench/analytics-queries.sh.
with heartbeats as (
    select cohort, ts, interval_ms, cdn_bytes, p2p_bytes_down, p2p_bytes_up, play_ms, rebuffer_ms, latency_ms,
           battery, charging, lag(ts) over s as prev_ts, lag(battery) over s as prev_battery,
           lag(charging) over s as prev_charging
    from telemetry_events
    where tenant_id = :'tenant' and ts >= :'from' and ts < :'to'
    window s as (partition by session_id, battery is null order by ts)
), drained as (
    select h.*,
           case when drains then (prev_battery - battery)::float8 end as battery_drain,
           case when drains then (extract(epoch from ts - prev_ts) * 1000)::bigint end as battery_ms
    from heartbeats h,
         lateral (select battery <= prev_battery and charging = false and prev_charging = false
             and ts - prev_ts <= (2 * interval_ms + 5000) * interval '1 millisecond' as drains) d
)
select cohort, count(*), sum(interval_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up), sum(play_ms),
       sum(rebuffer_ms), sum(latency_ms), count(latency_ms), sum(battery_drain), sum(battery_ms),
       (select max(viewers) from (select sum(interval_ms)::float8 / 60000 as viewers from heartbeats
                                  group by date_trunc('minute', ts)) m) as peak_viewers
from drained
group by rollup (cohort)
\g /dev/null
