-- A session's row is rewritten with every heartbeat that reports a battery level. Without an index on the
-- column that changes (last_ts) and with room left in each page, PostgreSQL updates it in place (a HOT
-- update) instead of adding index entries each time. The hourly expiry scans this small table instead.
drop index telemetry_sessions_last_ts_idx;
alter table telemetry_sessions set (fillfactor = 70);
