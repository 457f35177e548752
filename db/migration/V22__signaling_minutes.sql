-- What the tracker did per stream and minute, summed over every node: sockets it admitted, and sockets it refused
-- for reasons that are nobody's decision (the organisation's or a session's socket limit, a token that expired or
-- was superseded). Written by each node every 15 seconds (io.meshcp.signaling.SignalingMinutes); read by the
-- SIGNALING_REFUSALS alert rule. Kept 35 days.
create table signaling_minutes (
    tenant_id uuid not null references tenants (id),
    stream_id uuid not null,
    minute    timestamptz not null,
    admitted  bigint not null,
    refused   bigint not null,
    primary key (tenant_id, stream_id, minute)
);
create index signaling_minutes_minute on signaling_minutes (minute);

alter table signaling_minutes enable row level security;
alter table signaling_minutes force row level security;
do $$
begin
    execute format('create policy owner_role on signaling_minutes to %I using (true)', current_user);
end
$$;
create policy system_scope on signaling_minutes to meshcp_system_scope using (true);
create policy tenant_scope on signaling_minutes to meshcp_tenant_scope using (tenant_id = (select meshcp_tenant()));
grant select, insert, update, delete on signaling_minutes to meshcp_tenant_scope, meshcp_system_scope;

alter table alert_rules drop constraint alert_rules_kind_check;
alter table alert_rules add constraint alert_rules_kind_check
    check (kind in ('OFFLOAD_BELOW', 'NO_HEARTBEATS', 'P2P_REBUFFER_WORSE', 'SIGNALING_REFUSALS'));
