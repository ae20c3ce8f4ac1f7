-- 0026: the deadline board's counts kept as tasks open, move and close (#17,
-- scenario 2).
--
-- The board counted every open task of the scope by unit and step, in one pass
-- over tasks_open_unit_due_idx: for a province of 169 units and 21,740 open tasks
-- at 1M dossiers, 18 ms a statement with one client and 13.8 ms on average under
-- the reads bench, the costliest read statement there. Due dates fall at the end
-- of a working day (calendar.AddWorkingDays), so the open tasks of a unit and step
-- share few due dates: they are now counted per (unit, step, due date) in
-- task_counts, kept by triggers on tasks in the writing transaction (they commit
-- or roll back with the change and cannot drift), and the board sums those
-- counts. Overdue, due soon and at risk are still decided against the clock at
-- read time, from the exact due dates.
--
-- As in nomination_counts (0022), a key may have several rows and its count is
-- their sum (a row may be negative); a change adds its delta to a row of its key
-- that no other transaction holds (FOR UPDATE SKIP LOCKED), or inserts a row when
-- all are held: a writer never waits on a counter and writers cannot deadlock on
-- counters. A task without a due date counts under 'infinity', never overdue, due
-- soon or at risk. Rows whose count fell to 0 are removed by the workers
-- (inbox.Store.PurgeTaskCounts).
CREATE TABLE task_counts (
    id      bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id text        NOT NULL,
    step    text        NOT NULL,
    due_at  timestamptz NOT NULL, -- 'infinity' for the tasks without a due date
    n       integer     NOT NULL
);
CREATE INDEX task_counts_key_idx ON task_counts (unit_id, step, due_at) INCLUDE (n);

-- task_counts_add adds n to the count of a key.
CREATE FUNCTION task_counts_add(p_unit text, p_step text, p_due timestamptz, p_n integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE task_counts SET n = n + p_n WHERE id = (SELECT id FROM task_counts
        WHERE unit_id = p_unit AND step = p_step AND due_at = p_due LIMIT 1 FOR UPDATE SKIP LOCKED);
    IF NOT FOUND THEN
        INSERT INTO task_counts (unit_id, step, due_at, n) VALUES (p_unit, p_step, p_due, p_n);
    END IF;
END $$;

-- One function for the row triggers: an open task removed counts -1 under its old
-- key, an open task written +1 under its new key. The triggers fire only when a
-- change can move a count (the WHEN clauses), not when a task is claimed or
-- reminded.
CREATE FUNCTION task_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'open' THEN
        PERFORM task_counts_add(OLD.unit_id, OLD.step, coalesce(OLD.due_at, 'infinity'), -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'open' THEN
        PERFORM task_counts_add(NEW.unit_id, NEW.step, coalesce(NEW.due_at, 'infinity'), 1);
    END IF;
    RETURN NULL;
END $$;

-- The open tasks there are, counted while no task can change.
LOCK TABLE tasks IN SHARE MODE;
INSERT INTO task_counts (unit_id, step, due_at, n)
SELECT unit_id, step, coalesce(due_at, 'infinity'), count(*) FROM tasks WHERE status = 'open' GROUP BY 1, 2, 3;

CREATE TRIGGER task_counts_insert AFTER INSERT ON tasks
    FOR EACH ROW WHEN (NEW.status = 'open') EXECUTE FUNCTION task_counts_apply();
CREATE TRIGGER task_counts_update AFTER UPDATE OF status, unit_id, step, due_at ON tasks
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
        OR OLD.step IS DISTINCT FROM NEW.step OR OLD.due_at IS DISTINCT FROM NEW.due_at)
    EXECUTE FUNCTION task_counts_apply();
CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks
    FOR EACH ROW WHEN (OLD.status = 'open') EXECUTE FUNCTION task_counts_apply();
-- TRUNCATE of tasks empties the counts with it.
CREATE FUNCTION task_counts_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE task_counts;
    RETURN NULL;
END $$;
CREATE TRIGGER task_counts_truncate AFTER TRUNCATE ON tasks
    FOR EACH STATEMENT EXECUTE FUNCTION task_counts_truncate();
