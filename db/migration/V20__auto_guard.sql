-- The auto-guard (io.meshcp.guard): p2p switched off for a stream when its p2p viewers rebuffer more than its
-- holdout viewers, beyond chance. It acts through the stream's kill switch, marked as the guard's, so that players
-- are told why (AUTO_GUARD) and a person releases it as any other switch.
alter table kill_switches add column auto_guard boolean not null default false;

-- Opt-in, per organisation (stream_id null: its default for every stream) and per stream.
create table auto_guard_settings (
    tenant_id             uuid not null references tenants (id),
    stream_id             uuid references streams (id),
    enabled               boolean not null,
    -- How much worse (rebuffer ratio, absolute: 0.01 is one percentage point) p2p must be, at 95% confidence.
    margin                double precision not null check (margin >= 0 and margin <= 1),
    window_minutes        integer not null check (window_minutes between 5 and 1440),
    -- Sessions each cohort needs in the window before the guard may act.
    min_sessions          integer not null check (min_sessions between 30 and 1000000),
    -- When the guard's switch releases itself; null: a person releases it.
    release_after_minutes integer check (release_after_minutes between 5 and 10080),
    updated_at            timestamptz not null,
    updated_by            varchar(320) not null
);
create unique index auto_guard_settings_scope_key
    on auto_guard_settings (tenant_id, coalesce(stream_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- What the guard did, and on what evidence.
create table auto_guard_actions (
    id                bigint generated always as identity primary key,
    tenant_id         uuid not null references tenants (id),
    stream_id         uuid not null references streams (id),
    acted_at          timestamptz not null,
    p2p_rebuffer      double precision not null,
    holdout_rebuffer  double precision not null,
    difference_low    double precision not null,
    difference_high   double precision not null,
    p2p_sessions      bigint not null,
    holdout_sessions  bigint not null,
    margin            double precision not null,
    window_minutes    integer not null,
    release_at        timestamptz
);
create index auto_guard_actions_tenant on auto_guard_actions (tenant_id, acted_at desc);

do $$
declare
    t text;
begin
    foreach t in array array['auto_guard_settings', 'auto_guard_actions'] loop
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
