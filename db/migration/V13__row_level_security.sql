-- The database separates tenants by itself. The application logs in as a role that owns nothing and holds no
-- privilege of its own; each transaction first takes one of two scopes (io.meshcp.database.DatabaseScope):
--
--   meshcp_tenant_scope: one organisation, named by the transaction-local setting meshcp.tenant_id. Every table
--     below answers only that organisation's rows, whatever a query forgets to say.
--   meshcp_system_scope: the few jobs that are about no single organisation by nature (finding a key by its hash,
--     logging in by address, sign-up, the telemetry writer's mixed groups, retention). It sees every row.
--
-- Both roles are granted to the application's login role without inheritance at start-up, so a statement outside a
-- transaction, or in a transaction that took no scope, is refused by the database. Migrations run as the owner.
-- Row-level security is forced, so any other role granted rights later is held by it too; the owner's own policy
-- sees every row, since it runs the migrations and, during a rolling upgrade to this version, the previous
-- version's nodes log in as it.

do $$
begin
    if not exists (select from pg_roles where rolname = 'meshcp_tenant_scope') then
        create role meshcp_tenant_scope nologin;
    end if;
    if not exists (select from pg_roles where rolname = 'meshcp_system_scope') then
        create role meshcp_system_scope nologin;
    end if;
end
$$;

-- Nobody but the owner creates objects here (PostgreSQL before 15 let every role create in public).
revoke create on schema public from public;

create function meshcp_tenant() returns uuid language sql stable parallel safe as $$
    select nullif(current_setting('meshcp.tenant_id', true), '')::uuid
$$;

do $$
declare
    owner_role text := current_user;
    t record;
begin
    for t in
        select c.relname,
               exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id'
                       and not a.attisdropped) as has_tenant
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition
          and c.relname <> 'flyway_schema_history'
    loop
        execute format('alter table %I enable row level security', t.relname);
        execute format('alter table %I force row level security', t.relname);
        execute format('create policy owner_role on %I to %I using (true)', t.relname, owner_role);
        execute format('create policy system_scope on %I to meshcp_system_scope using (true)', t.relname);
        if t.relname = 'tenants' then
            execute 'create policy tenant_scope on tenants to meshcp_tenant_scope using (id = (select meshcp_tenant()))';
        elsif t.relname = 'users' then
            -- A user belongs to the organisations it is a member of.
            execute 'create policy tenant_scope on users to meshcp_tenant_scope using (exists (select from memberships m '
                    'where m.user_id = users.id and m.tenant_id = (select meshcp_tenant())))';
        elsif t.has_tenant then
            -- One equality on the leading column of every tenant index, so plans stay the ones they were.
            execute format('create policy tenant_scope on %I to meshcp_tenant_scope '
                    'using (tenant_id = (select meshcp_tenant()))', t.relname);
        else
            raise exception 'table % has no tenant_id: say how row-level security separates its rows', t.relname;
        end if;
        if t.relname = 'audit_events' then
            -- The audit log can be written and read, never changed (V12 stops even the owner's UPDATE and DELETE).
            execute 'grant select, insert on audit_events to meshcp_tenant_scope, meshcp_system_scope';
        else
            execute format('grant select, insert, update, delete on %I to meshcp_tenant_scope, meshcp_system_scope',
                    t.relname);
        end if;
    end loop;
end
$$;

grant usage on all sequences in schema public to meshcp_tenant_scope, meshcp_system_scope;

-- Daily partitions of the raw events are made and dropped by the owner, on the system scope's request; the names
-- are built here from numbers, never from text the caller passes.
create function meshcp_create_telemetry_partition(retention int, day date) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if retention not in (7, 30, 90, 365) then
        raise exception 'no telemetry retention of % days', retention;
    end if;
    execute format('create table if not exists %I partition of %I for values from (%L) to (%L)',
            'telemetry_events_r' || retention || '_' || to_char(day, 'YYYYMMDD'), 'telemetry_events_r' || retention,
            day::timestamp at time zone 'UTC', (day + 1)::timestamp at time zone 'UTC');
end
$$;

create function meshcp_drop_telemetry_partition(retention int, day date) returns void
    language plpgsql security definer set search_path = public, pg_temp as $$
begin
    if retention not in (7, 30, 90, 365) then
        raise exception 'no telemetry retention of % days', retention;
    end if;
    execute format('drop table if exists %I', 'telemetry_events_r' || retention || '_' || to_char(day, 'YYYYMMDD'));
end
$$;

revoke execute on function meshcp_create_telemetry_partition(int, date), meshcp_drop_telemetry_partition(int, date)
    from public;
grant execute on function meshcp_create_telemetry_partition(int, date), meshcp_drop_telemetry_partition(int, date)
    to meshcp_system_scope;
