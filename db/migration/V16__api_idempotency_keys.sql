-- Idempotency-Key on the REST API's POSTs: the first request with a key is answered as usual and its answer kept
-- for 24 hours; a retry with the same key and the same request gets that answer again instead of a second stream or
-- live event. status is null while the first request is still being processed. Kept per organisation: two
-- organisations may use the same key.
create table api_idempotency_keys (
    tenant_id    uuid not null references tenants (id),
    key          varchar(255) not null,
    request_hash bytea not null,
    created_at   timestamptz not null,
    status       smallint,
    content_type varchar(255),
    location     varchar(2048),
    etag         varchar(255),
    body         bytea,
    primary key (tenant_id, key)
);
create index api_idempotency_keys_created_at on api_idempotency_keys (created_at);

-- Row-level security as V13 gives every table.
alter table api_idempotency_keys enable row level security;
alter table api_idempotency_keys force row level security;
do $$
begin
    execute format('create policy owner_role on api_idempotency_keys to %I using (true)', current_user);
end
$$;
create policy system_scope on api_idempotency_keys to meshcp_system_scope using (true);
create policy tenant_scope on api_idempotency_keys to meshcp_tenant_scope
    using (tenant_id = (select meshcp_tenant()));
grant select, insert, update, delete on api_idempotency_keys to meshcp_tenant_scope, meshcp_system_scope;
