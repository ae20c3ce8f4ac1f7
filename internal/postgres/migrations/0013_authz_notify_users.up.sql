-- 0013: a change of role assignments names the users it concerns, so that every
-- `tdkt serve` replica applies it to its Casbin data incrementally (it re-reads only
-- those users' assignments; authz.Enforcer.Follow) instead of reloading 100,000
-- assignments per grant. The payload is "users:<id>,<id>,…" (ids sorted, distinct); a
-- statement touching more than 500 users, and TRUNCATE, still send the table name,
-- which makes the replicas reload everything. Changes of units and of users keep
-- 0010's table-name notification (a full reload).
CREATE FUNCTION notify_authz_assignment_users() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    n   integer;
    ids text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT count(*), string_agg(user_id::text, ',' ORDER BY user_id) INTO n, ids
        FROM (SELECT DISTINCT user_id FROM new_rows) AS changed;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT count(*), string_agg(user_id::text, ',' ORDER BY user_id) INTO n, ids
        FROM (SELECT DISTINCT user_id FROM old_rows) AS changed;
    ELSE
        SELECT count(*), string_agg(user_id::text, ',' ORDER BY user_id) INTO n, ids
        FROM (SELECT user_id FROM new_rows UNION SELECT user_id FROM old_rows) AS changed;
    END IF;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n > 500 THEN
        PERFORM pg_notify('tdkt_authz', TG_TABLE_NAME);
    ELSE
        PERFORM pg_notify('tdkt_authz', 'users:' || ids);
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER role_assignments_notify_authz ON role_assignments;
CREATE TRIGGER role_assignments_notify_authz_insert AFTER INSERT ON role_assignments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_assignment_users();
CREATE TRIGGER role_assignments_notify_authz_update AFTER UPDATE ON role_assignments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_assignment_users();
CREATE TRIGGER role_assignments_notify_authz_delete AFTER DELETE ON role_assignments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_assignment_users();
CREATE TRIGGER role_assignments_notify_authz_truncate AFTER TRUNCATE ON role_assignments
    FOR EACH STATEMENT EXECUTE FUNCTION notify_authz_change();
