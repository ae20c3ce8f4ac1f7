-- 0030: the audit events by action and the decisions by deciding unit counted as
-- they are written (#17).
--
-- The gauges tdkt_dossier_actions and tdkt_decisions_issued counted the whole
-- audit log and every decision on each /metrics reading (every 15 s on every
-- tdkt serve replica): at 1M dossiers, 8 million events and 500,000 decisions,
-- 0.8–1.0 s and 0.1 s a reading, growing with every year kept. Both tables only
-- grow (audit_events is append-only, 0007; a decision is revoked in place, never
-- deleted or moved to another unit), so their counts only grow: each statement
-- that writes events or decisions appends one row per label it wrote, (gauge,
-- label, how many), and the gauges sum the rows. The rows are written in the
-- writing transaction (they commit or roll back with it), are never updated (no
-- writer waits on another), and are folded into one row per label by the workers
-- every 10 minutes (ops.Store.CompactAppendedCounts).
CREATE TABLE appended_counts (
    gauge text   NOT NULL, -- 'actions' (label: the audit event's action) or 'decisions' (label: the deciding unit)
    label text   NOT NULL,
    n     bigint NOT NULL
);

CREATE FUNCTION appended_counts_actions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO appended_counts (gauge, label, n) SELECT 'actions', action, count(*) FROM added GROUP BY action;
    RETURN NULL;
END $$;

CREATE FUNCTION appended_counts_decisions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO appended_counts (gauge, label, n) SELECT 'decisions', unit_id, count(*) FROM added GROUP BY unit_id;
    RETURN NULL;
END $$;

-- The events and decisions there are, counted while none can be written.
LOCK TABLE audit_events, decisions IN SHARE MODE;
INSERT INTO appended_counts (gauge, label, n) SELECT 'actions', action, count(*) FROM audit_events GROUP BY action;
INSERT INTO appended_counts (gauge, label, n) SELECT 'decisions', unit_id, count(*) FROM decisions GROUP BY unit_id;

CREATE TRIGGER appended_counts_insert AFTER INSERT ON audit_events
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION appended_counts_actions();
CREATE TRIGGER appended_counts_insert AFTER INSERT ON decisions
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION appended_counts_decisions();
