-- A stream's busiest minute over a month is the largest viewer_ms among its 43,000 minute rows: with viewer_ms
-- in the by-stream index the summary reads them from the index alone instead of visiting each row's page.
create index telemetry_minute_stream_by_stream_viewers on telemetry_minute_stream (tenant_id, stream_id, bucket)
    include (viewer_ms);
drop index telemetry_minute_stream_by_stream;
