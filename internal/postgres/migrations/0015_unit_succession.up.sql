-- 0015: reorganisations as data. A unit carries its official code (mã đơn vị hành
-- chính of the statistics office, '' when it has none), and unit_successions
-- records which old units became which new ones: a merge is several rows with one
-- successor, a split several rows with one predecessor, each marked whole or part.
-- units.valid_from / valid_to (0001) are the lifetime; valid_to is exclusive.
ALTER TABLE units ADD COLUMN code text NOT NULL DEFAULT '';
CREATE INDEX units_code_idx ON units (code) WHERE code <> '';

CREATE TABLE unit_successions (
    predecessor_id text NOT NULL REFERENCES units (id),
    successor_id   text NOT NULL REFERENCES units (id),
    whole          boolean NOT NULL,      -- false: only part of the predecessor went to this successor
    effective      date NOT NULL,         -- the successor's first day
    source         text NOT NULL DEFAULT '', -- the legal act, e.g. Nghị quyết 1672/NQ-UBTVQH15
    PRIMARY KEY (predecessor_id, successor_id),
    CHECK (predecessor_id <> successor_id)
);
CREATE INDEX unit_successions_successor_idx ON unit_successions (successor_id);
