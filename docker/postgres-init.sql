-- The application's login: it owns nothing and inherits nothing, so it can only act through the scope roles the
-- owner grants it at start-up, under row-level security (docs/operations.md, "Database roles").
create role meshcp_app login noinherit password 'meshcp-app';
