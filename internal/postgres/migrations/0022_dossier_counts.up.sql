-- 0022: the dashboard's counts kept as dossiers move (#17, scenario 2).
--
-- The dashboard counted every dossier of the reader's units by status, step and
-- current unit: for the ministry a parallel sequential scan of all 1M dossiers,
-- 467–487 ms in its plan. The counts are now kept in nomination_counts by triggers
-- on nominations, in the writing transaction, so they commit or roll back with the
-- change that caused them and cannot drift.
--
-- A key (unit_id, status, current_step, current_unit_id) may have several rows;
-- its count is their sum. A change adds its delta to a row of its key that no
-- other transaction holds (FOR UPDATE SKIP LOCKED), or inserts a row when all are
-- held: a writer never waits on a counter, so creating a dossier (whose
-- transaction stays open while its workflow starts) does not queue the other
-- creations of its unit, and writers cannot deadlock on counters. The rows of a
-- key stay as few as the writers that once held them at the same moment.
CREATE TABLE nomination_counts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id         text   NOT NULL,
    status          text   NOT NULL,
    current_step    text   NOT NULL,
    current_unit_id text   NOT NULL, -- '' when the dossier waits nowhere
    n               bigint NOT NULL
);
CREATE INDEX nomination_counts_key_idx ON nomination_counts (unit_id, status, current_step, current_unit_id) INCLUDE (n);

-- nomination_counts_add adds n to the count of a key.
CREATE FUNCTION nomination_counts_add(p_unit text, p_status text, p_step text, p_current text, p_n bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    rid bigint;
BEGIN
    SELECT id INTO rid FROM nomination_counts
        WHERE unit_id = p_unit AND status = p_status AND current_step = p_step AND current_unit_id = p_current
        LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF FOUND THEN
        UPDATE nomination_counts SET n = n + p_n WHERE id = rid;
    ELSE
        INSERT INTO nomination_counts (unit_id, status, current_step, current_unit_id, n)
            VALUES (p_unit, p_status, p_step, p_current, p_n);
    END IF;
END $$;

-- One function for the three statement triggers: the rows a statement removed
-- count -1 under their old key, the rows it wrote +1 under their new key; the keys
-- whose delta is not 0 are applied in key order.
CREATE FUNCTION nomination_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        FOR k IN SELECT unit_id, status, current_step, coalesce(current_unit_id, '') AS cur, count(*) AS d
                FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 LOOP
            PERFORM nomination_counts_add(k.unit_id, k.status, k.current_step, k.cur, k.d);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR k IN SELECT unit_id, status, current_step, coalesce(current_unit_id, '') AS cur, -count(*) AS d
                FROM old_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4 LOOP
            PERFORM nomination_counts_add(k.unit_id, k.status, k.current_step, k.cur, k.d);
        END LOOP;
    ELSE
        FOR k IN SELECT unit_id, status, current_step, cur, sum(d) AS d FROM (
                    SELECT unit_id, status, current_step, coalesce(current_unit_id, '') AS cur, 1 AS d FROM new_rows
                    UNION ALL
                    SELECT unit_id, status, current_step, coalesce(current_unit_id, ''), -1 FROM old_rows) x
                GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4 LOOP
            PERFORM nomination_counts_add(k.unit_id, k.status, k.current_step, k.cur, k.d);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

-- The existing dossiers, counted while no dossier can change.
LOCK TABLE nominations IN SHARE MODE;
INSERT INTO nomination_counts (unit_id, status, current_step, current_unit_id, n)
SELECT unit_id, status, current_step, coalesce(current_unit_id, ''), count(*)
FROM nominations GROUP BY 1, 2, 3, 4;

CREATE TRIGGER nomination_counts_insert AFTER INSERT ON nominations
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nomination_counts_apply();
CREATE TRIGGER nomination_counts_update AFTER UPDATE ON nominations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION nomination_counts_apply();
CREATE TRIGGER nomination_counts_delete AFTER DELETE ON nominations
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION nomination_counts_apply();
-- No TRUNCATE trigger: nominations cannot be truncated while audit_events (which
-- refers to it) refuses TRUNCATE; a dump carries nomination_counts with its data.

-- The overdue part depends on the clock, so it is not kept: it is counted from
-- the open dossiers past their stage's due date, read from this index alone (an
-- index-only scan per unit of the reader, over the overdue dossiers only).
CREATE INDEX nominations_open_due_idx ON nominations (unit_id, stage_due_at) INCLUDE (status, current_step, current_unit_id)
    WHERE status NOT IN ('decided', 'rejected', 'withdrawn');

-- A province's deadline board: its open tasks past due, longest overdue first,
-- walked tasks_due_idx over every unit's tasks and filtered the other provinces'
-- out (32–34 ms in its plan at 1M dossiers), and its counts by unit and step read
-- every open task's row. With the unit in front and what both read included, each
-- unit's open tasks are read from the index alone.
CREATE INDEX tasks_open_unit_due_idx ON tasks (unit_id, due_at, id) INCLUDE (step)
    WHERE status = 'open';
