-- 0010: every change to what authorization reads (the unit tree, role assignments,
-- users' active flag and home unit) notifies the channel tdkt_authz when its
-- transaction commits, so that every `tdkt serve` replica reloads its Casbin data
-- at once (authz.Enforcer.Follow) instead of within the minute of its periodic
-- reload. A statement-level trigger covers every writer: the admin area, the seed,
-- a migration or an operator's SQL; PostgreSQL folds identical notifications of one
-- transaction into one. A duplicate username differing only in letter case is
-- refused by the database too (the admin area also checks it first, for its message).
CREATE FUNCTION notify_authz_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tdkt_authz', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER units_notify_authz AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_change();
CREATE TRIGGER role_assignments_notify_authz AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON role_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_change();
CREATE TRIGGER users_notify_authz AFTER UPDATE OF active, unit_id OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_change();

CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
