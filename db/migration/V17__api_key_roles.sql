-- A secret key's role: what it may do through the REST API, as a member's role does in the dashboard
-- (docs/permissions.md). Keys had the rights of OPS until now, so existing secret keys keep them; publishable keys
-- never call the REST API and have none. No key is OWNER: ownership stays with people.
alter table api_keys add column role text;
update api_keys set role = 'OPS' where kind = 'SECRET';
alter table api_keys add constraint api_keys_role check (
    (kind = 'SECRET' and role in ('ADMIN', 'OPS', 'VIEWER')) or (kind = 'PUBLISHABLE' and role is null));
