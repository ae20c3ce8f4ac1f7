-- Runs once, when the PostgreSQL container initialises its data directory
-- (docker-entrypoint-initdb.d), as the superuser POSTGRES_USER (tdkt), in the
-- database POSTGRES_DB (tdkt).
--
-- tdkt_app is the role `tdkt serve` and `tdkt worker` connect as. It does not own
-- the schema: `tdkt migrate` runs as the owner (tdkt) and creates the tables; the
-- default privileges below give tdkt_app ordinary rights on them, and migration
-- 0007 then takes UPDATE, DELETE and TRUNCATE on the audit tables and every right
-- on the audit chain head away from it (audit_restrict_role). So the application
-- can append to the audit log but never rewrite it, and cannot disable its
-- triggers (only an owner can).
--
-- The password comes from the container's environment through psql's variable.
\set app_password `echo "${TDKT_APP_DB_PASSWORD:-change-me-too}"`
CREATE ROLE tdkt_app LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE tdkt TO tdkt_app;
GRANT USAGE ON SCHEMA public TO tdkt_app;
ALTER DEFAULT PRIVILEGES FOR ROLE tdkt IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tdkt_app;
ALTER DEFAULT PRIVILEGES FOR ROLE tdkt IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO tdkt_app;
ALTER DEFAULT PRIVILEGES FOR ROLE tdkt IN SCHEMA public
    GRANT EXECUTE ON FUNCTIONS TO tdkt_app;
