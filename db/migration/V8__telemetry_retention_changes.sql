-- An event is stored under the retention in force at its timestamp, not at its arrival: a replay that arrives
-- after the tenant changed its retention then finds the original in the same partition and counts once
-- (TelemetryStore). This keeps, for each change, the retention in force until then.
create table telemetry_retention_changes (
    tenant_id     uuid not null references tenants (id) on delete cascade,
    changed_at    timestamptz not null,
    previous_days smallint not null,
    primary key (tenant_id, changed_at)
);

create function telemetry_record_retention_change() returns trigger language plpgsql as $$
begin
    insert into telemetry_retention_changes (tenant_id, changed_at, previous_days)
    values (old.id, now(), old.telemetry_retention_days)
    on conflict (tenant_id, changed_at) do nothing;
    return new;
end
$$;

create trigger tenants_telemetry_retention_changed
    after update of telemetry_retention_days on tenants
    for each row when (old.telemetry_retention_days is distinct from new.telemetry_retention_days)
    execute function telemetry_record_retention_change();
