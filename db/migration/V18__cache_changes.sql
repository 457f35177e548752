-- Every committed change to what the nodes keep in memory for players (API keys, policy levels and kill switches,
-- streams), written by the transaction that makes it. Each node reads the rows that are new every half second and
-- drops its own copies of what they name (io.meshcp.cluster.CacheChangeLog): a change reaches every node, with or
-- without Redis, and one that rolled back reaches none. So the caches need not re-read each entry every second to
-- see other nodes' changes. Rows are kept for an hour, longer than any cache keeps an entry unread.
create table cache_changes (
    id          bigint generated always as identity primary key,
    -- The database's clock, not a node's: the readers compare it with their last reading of the same clock.
    changed_at  timestamptz not null default clock_timestamp(),
    node        uuid not null,
    kind        varchar(16) not null check (kind in ('API_KEY', 'POLICY', 'STREAM')),
    -- The organisation whose scope wrote the row; none for a change made in the system scope.
    tenant_id   uuid default meshcp_tenant(),
    stream_id   uuid,
    external_id varchar(128),
    key_hash    varchar(64)
);
create index cache_changes_changed_at on cache_changes (changed_at);

-- As V13 does for every table: an organisation's scope writes and sees its own rows; the system scope, which
-- reads the log for the node, sees them all.
do $$
begin
    alter table cache_changes enable row level security;
    alter table cache_changes force row level security;
    execute format('create policy owner_role on cache_changes to %I using (true)', current_user);
    create policy system_scope on cache_changes to meshcp_system_scope using (true);
    create policy tenant_scope on cache_changes to meshcp_tenant_scope using (tenant_id = (select meshcp_tenant()));
    grant select, insert, delete on cache_changes to meshcp_tenant_scope, meshcp_system_scope;
end
$$;
