-- The audit log is append-only for whoever writes to it: an UPDATE, DELETE or TRUNCATE of audit_events fails, for
-- every role, so neither a bug nor a statement slipped into the application's connection can rewrite what happened.
-- Only the table's owner can take the triggers away (ALTER TABLE needs ownership); docs/security.md says what that
-- leaves open while the application still connects as the owner.
create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: % on audit_events is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_events_no_rewrite before update or delete on audit_events
    for each row execute function audit_events_append_only();

create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only();
