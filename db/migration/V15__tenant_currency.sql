-- The currency of the organisation's CDN price (ISO 4217): money saved is shown and returned in it. Existing
-- organisations priced in dollars, which the dashboard assumed until now.
alter table tenants add column currency varchar(3) not null default 'USD' check (currency ~ '^[A-Z]{3}$');
