-- 0003: award history (lịch sử thi đua, khen thưởng) and eligibility: the subjects
-- units nominate, with their yearly task ratings, titles and commendations,
-- initiatives, and discipline or investigation periods; nominees linked to their
-- subject; and the appraisers' overrides of the eligibility checklist.

-- Subjects (đối tượng): a person, collective or household, identified by the code
-- its unit assigns (the CCCD number of a person, or an internal code).
CREATE TABLE subjects (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id      text NOT NULL REFERENCES units (id),
    code         text NOT NULL CHECK (code <> ''),
    kind         text NOT NULL CHECK (kind IN ('individual', 'collective', 'household')),
    name         text NOT NULL CHECK (name <> ''),
    job_title    text NOT NULL DEFAULT '',
    organisation text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (unit_id, code)
);
CREATE INDEX subjects_name_idx ON subjects (unit_id, lower(name));

-- Yearly task ratings (xếp loại mức độ hoàn thành nhiệm vụ): one per subject and year.
CREATE TABLE task_ratings (
    subject_id  bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    year        int  NOT NULL CHECK (year BETWEEN 1945 AND 2200),
    rating      text NOT NULL CHECK (rating IN ('htxs', 'htt', 'ht', 'kht')),
    source      text NOT NULL CHECK (source IN ('manual', 'import')),
    recorded_by bigint REFERENCES users (id),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject_id, year)
);

-- Titles and commendations received: written by the engine when it issues a
-- decision (source decision, removed when the decision is revoked), or entered for
-- awards decided before or outside it. kind is the basis of the award (Law art. 8);
-- only merit awards count toward the prerequisite chains.
CREATE TABLE award_records (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id       bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    award_code       text NOT NULL REFERENCES awards (code),
    year             int  NOT NULL CHECK (year BETWEEN 1945 AND 2200),
    level            text REFERENCES levels (code),   -- level of the deciding body
    kind             text NOT NULL DEFAULT 'merit'
        CHECK (kind IN ('merit', 'extraordinary', 'movement', 'long_service', 'seniority', 'foreign')),
    decision_code    text NOT NULL DEFAULT '',
    decision_date    date,
    deciding_unit_id text REFERENCES units (id),
    decision_id      bigint REFERENCES decisions (id),
    nomination_id    uuid REFERENCES nominations (id),
    nominee_id       bigint REFERENCES nominees (id) ON DELETE SET NULL,
    source           text NOT NULL CHECK (source IN ('decision', 'manual', 'import')),
    note             text NOT NULL DEFAULT '',
    recorded_by      bigint REFERENCES users (id),
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((source = 'decision') = (decision_id IS NOT NULL))
);
-- One achievement, one award: a merit award is held once per subject and year.
CREATE UNIQUE INDEX award_records_merit_idx ON award_records (subject_id, award_code, year) WHERE kind = 'merit';
CREATE UNIQUE INDEX award_records_decision_idx ON award_records (decision_id, subject_id) WHERE decision_id IS NOT NULL;
CREATE INDEX award_records_subject_idx ON award_records (subject_id, year);
CREATE INDEX award_records_nomination_idx ON award_records (nomination_id) WHERE nomination_id IS NOT NULL;

-- Initiatives (sáng kiến) with the scope in which they were recognised as effective.
CREATE TABLE initiatives (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id    bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    year          int  NOT NULL CHECK (year BETWEEN 1945 AND 2200),
    title         text NOT NULL CHECK (title <> ''),
    scope         text NOT NULL CHECK (scope IN ('grassroots', 'province', 'national')),
    recognised_by text NOT NULL DEFAULT '',
    decision_code text NOT NULL DEFAULT '',
    recognised_on date,
    source        text NOT NULL CHECK (source IN ('manual', 'import')),
    recorded_by   bigint REFERENCES users (id),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (subject_id, year, title)
);

-- Discipline, investigation, inspection and complaint periods (tạm hoãn). ends_on
-- is inclusive; NULL while the period is open.
CREATE TABLE subject_holds (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id    bigint NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('discipline', 'investigation', 'inspection', 'complaint')),
    starts_on     date NOT NULL,
    ends_on       date,
    reason        text NOT NULL DEFAULT '',
    decision_code text NOT NULL DEFAULT '',
    source        text NOT NULL CHECK (source IN ('manual', 'import')),
    recorded_by   bigint REFERENCES users (id),
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    UNIQUE (subject_id, kind, starts_on)
);

-- A nominee may name its subject, so that its history is checked.
ALTER TABLE nominees ADD COLUMN subject_id bigint REFERENCES subjects (id);
CREATE INDEX nominees_subject_idx ON nominees (subject_id) WHERE subject_id IS NOT NULL;

-- Appraisers' overrides of an eligibility criterion, with the reason: append-only,
-- the latest per nominee and criterion applies.
CREATE TABLE eligibility_overrides (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    nominee_id    bigint NOT NULL REFERENCES nominees (id) ON DELETE CASCADE,
    criterion     text NOT NULL CHECK (criterion <> ''),
    met           boolean NOT NULL,
    reason        text NOT NULL CHECK (reason <> ''),
    actor_id      bigint NOT NULL REFERENCES users (id),
    at            timestamptz NOT NULL
);
CREATE INDEX eligibility_overrides_idx ON eligibility_overrides (nomination_id, nominee_id, criterion, at DESC);
