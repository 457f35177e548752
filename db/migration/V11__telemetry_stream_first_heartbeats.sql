-- When each stream's first heartbeat arrived: the integration page's sign that a player is wired up. One row
-- per stream, written once (each node remembers the streams it has seen), so heartbeats pay nothing for it.
create table telemetry_stream_first_heartbeats (
    tenant_id uuid        not null,
    stream_id uuid        not null,
    first_at  timestamptz not null,
    primary key (tenant_id, stream_id)
);

-- Streams that already report: the start of the earliest hour of sums still kept.
insert into telemetry_stream_first_heartbeats (tenant_id, stream_id, first_at)
select tenant_id, stream_id, min(bucket) from telemetry_hour
where stream_id <> '00000000-0000-0000-0000-000000000000'
group by tenant_id, stream_id;
