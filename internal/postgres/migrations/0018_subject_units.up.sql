-- 0018: one subject per person across units. A person recorded in another unit
-- with the same citizen identity number (CCCD) is the same subject: the subject
-- moves to the new unit, and the units it was recorded in before are kept here.
CREATE TABLE subject_units (
    subject_id bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    unit_id    text   NOT NULL REFERENCES units (id),
    left_at    timestamptz NOT NULL,
    PRIMARY KEY (subject_id, left_at)
);
