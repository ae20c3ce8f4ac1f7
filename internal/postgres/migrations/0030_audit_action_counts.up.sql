-- 0030: the audit events counted by action as they are written (#17).
--
-- The gauge tdkt_dossier_actions counted every audit event by action on each
-- /metrics reading (every 15 s on every tdkt serve replica): at 1M dossiers and
-- 8 million events that was a scan of the whole log each time, growing with every
-- year kept. The log is append-only (0007: no UPDATE, DELETE or TRUNCATE), so a
-- count by action only grows: each statement that writes events appends one row
-- per action it wrote, (action, how many), and the gauge sums the rows. The rows
-- are written in the writing transaction (they commit or roll back with the
-- events), are never updated (no writer waits on another), and are folded into
-- one row per action by the workers every 10 minutes
-- (ops.Store.CompactActionCounts).
CREATE TABLE audit_action_counts (
    action text   NOT NULL,
    n      bigint NOT NULL
);

CREATE FUNCTION audit_action_counts_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_action_counts (action, n) SELECT action, count(*) FROM added GROUP BY action;
    RETURN NULL;
END $$;

-- The events there are, counted while none can be written.
LOCK TABLE audit_events IN SHARE MODE;
INSERT INTO audit_action_counts (action, n) SELECT action, count(*) FROM audit_events GROUP BY action;

CREATE TRIGGER audit_action_counts_insert AFTER INSERT ON audit_events
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION audit_action_counts_add();
