-- Alerts (io.meshcp.alerts): rules per organisation, optionally per stream; the state of each rule on each stream it
-- watches (pending while its condition holds over less than the rule's window, firing once it holds over all of it);
-- and the history of what fired and resolved.
create table alert_rules (
    id          uuid primary key,
    tenant_id   uuid not null references tenants (id),
    -- null: every stream the rule applies to.
    stream_id   uuid references streams (id),
    kind        varchar(32) not null check (kind in ('OFFLOAD_BELOW', 'NO_HEARTBEATS', 'P2P_REBUFFER_WORSE')),
    threshold   double precision not null check (threshold >= 0 and threshold <= 1),
    for_minutes integer not null check (for_minutes between 1 and 1440),
    enabled     boolean not null,
    created_at  timestamptz not null,
    created_by  varchar(320) not null
);
create index alert_rules_tenant on alert_rules (tenant_id);

create table alert_states (
    rule_id   uuid not null references alert_rules (id) on delete cascade,
    stream_id uuid not null references streams (id),
    tenant_id uuid not null references tenants (id),
    state     varchar(16) not null check (state in ('PENDING', 'FIRING')),
    since     timestamptz not null,
    value     double precision,
    primary key (rule_id, stream_id)
);
create index alert_states_tenant on alert_states (tenant_id);

create table alert_history (
    id         bigint generated always as identity primary key,
    tenant_id  uuid not null references tenants (id),
    rule_id    uuid references alert_rules (id) on delete set null,
    stream_id  uuid not null references streams (id),
    kind       varchar(32) not null,
    transition varchar(16) not null check (transition in ('FIRED', 'RESOLVED')),
    at         timestamptz not null,
    value      double precision,
    detail     varchar(500) not null
);
create index alert_history_tenant on alert_history (tenant_id, at desc);

do $$
declare
    t text;
begin
    foreach t in array array['alert_rules', 'alert_states', 'alert_history'] loop
        execute format('alter table %I enable row level security', t);
        execute format('alter table %I force row level security', t);
        execute format('create policy owner_role on %I to %I using (true)', t, current_user);
        execute format('create policy system_scope on %I to meshcp_system_scope using (true)', t);
        execute format('create policy tenant_scope on %I to meshcp_tenant_scope '
            || 'using (tenant_id = (select meshcp_tenant()))', t);
        execute format('grant select, insert, update, delete on %I to meshcp_tenant_scope, meshcp_system_scope', t);
    end loop;
end
$$;
