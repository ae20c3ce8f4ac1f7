-- 0006: the full nomination procedure. The authority matrix gains nominee kind,
-- submitter kind, procedure and per-level stages; dossiers gain a kind and documents;
-- intake, concurrence (hiệp y), public consultation (lấy ý kiến), council votes,
-- per-nominee outcomes, holds, revocations, bonus amounts, time limits, the
-- working-day calendar's overrides, task assignment and delegation.

-- Authority matrix: which rule applies, and what happens at each level of the route.
ALTER TABLE authority_rules
    ADD COLUMN nominee_kind   text,                      -- NULL: any kind
    ADD COLUMN submitter_kind text,                      -- NULL: any unit kind
    ADD COLUMN procedure      text NOT NULL DEFAULT 'standard' CHECK (procedure IN ('standard', 'simplified')),
    -- [{"level": "province", "council": true, "consultation_days": 0, "concurrence": false}, …]
    ADD COLUMN stages         jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now();

-- Vote rules per award (configurable): quorum and threshold as fractions of all
-- eligible members, and whether the ballot is secret.
CREATE TABLE award_vote_rules (
    award_code  text PRIMARY KEY REFERENCES awards (code),
    quorum      numeric(4,3) NOT NULL DEFAULT 0.667 CHECK (quorum > 0 AND quorum <= 1),
    threshold   numeric(4,3) NOT NULL DEFAULT 0.5 CHECK (threshold > 0 AND threshold <= 1),
    secret      boolean NOT NULL DEFAULT false
);

-- Required documents per award category and procedure (the appraisal checklist).
CREATE TABLE required_documents (
    category  text NOT NULL,                -- title | commendation
    procedure text NOT NULL DEFAULT 'standard',
    doc_kind  text NOT NULL,                -- to_trinh, bao_cao_thanh_tich, bien_ban_hoi_dong, …
    name      text NOT NULL,
    PRIMARY KEY (category, procedure, doc_kind)
);

-- Base salary (lương cơ sở) with effective dates, for bonus amounts.
CREATE TABLE base_salaries (
    valid_from date PRIMARY KEY,
    amount     bigint NOT NULL CHECK (amount > 0),   -- VND per month
    source     text NOT NULL DEFAULT ''
);
INSERT INTO base_salaries (valid_from, amount, source) VALUES
    ('2019-07-01', 1490000, 'Nghị định 38/2019/NĐ-CP'),
    ('2023-07-01', 1800000, 'Nghị định 24/2023/NĐ-CP'),
    ('2024-07-01', 2340000, 'Nghị định 73/2024/NĐ-CP');

-- Time limits of each step in working days, and how early the reminder goes.
CREATE TABLE step_time_limits (
    step          text PRIMARY KEY,
    working_days  int NOT NULL CHECK (working_days > 0),
    remind_before int NOT NULL DEFAULT 2 CHECK (remind_before >= 0)
);
INSERT INTO step_time_limits (step, working_days, remind_before) VALUES
    ('intake', 3, 1), ('appraise', 10, 2), ('supplement', 10, 2), ('concur', 10, 2),
    ('vote', 5, 1), ('decide', 5, 1), ('forward', 15, 3);

-- Working-day calendar overrides an administrator edits per year (days off, swapped
-- working Saturdays); they take precedence over the statutory rules.
CREATE TABLE calendar_overrides (
    day        date PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('off', 'work')),
    name       text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Dossiers: kind (merit, extraordinary…), procedure, and the link to the route rule.
ALTER TABLE nominations
    ADD COLUMN kind      text NOT NULL DEFAULT 'merit'
        CHECK (kind IN ('merit', 'extraordinary', 'movement', 'long_service', 'foreign')),
    ADD COLUMN procedure text NOT NULL DEFAULT 'standard' CHECK (procedure IN ('standard', 'simplified')),
    ADD COLUMN stage_due_at timestamptz;

-- Documents attached to a dossier (tờ trình, báo cáo thành tích, biên bản…).
CREATE TABLE documents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    doc_kind      text NOT NULL,
    file_name     text NOT NULL,
    content_type  text NOT NULL,
    size_bytes    bigint NOT NULL,
    sha256        bytea NOT NULL,
    content       bytea NOT NULL,
    uploaded_by   bigint NOT NULL REFERENCES users (id),
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_nomination_idx ON documents (nomination_id);

-- Per-nominee outcomes at each level: the path of each nominee.
ALTER TABLE nominees
    ADD COLUMN award_code text REFERENCES awards (code),     -- set when downgraded
    ADD COLUMN hold_reason text NOT NULL DEFAULT '';
CREATE TABLE nominee_outcomes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    nominee_id    bigint NOT NULL REFERENCES nominees (id) ON DELETE CASCADE,
    seq           int NOT NULL,
    unit_id       text NOT NULL REFERENCES units (id),
    outcome       text NOT NULL,  -- forwarded, awarded, downgraded, rejected, held, released
    award_code    text,
    reason        text NOT NULL DEFAULT '',
    at            timestamptz NOT NULL,
    UNIQUE (nominee_id, seq)
);

-- Decisions: several per dossier (a downgrade decided at an intermediate level, a
-- held nominee decided later); each lists its awardees with bonus amounts.
ALTER TABLE decisions DROP CONSTRAINT decisions_nomination_id_key;
ALTER TABLE decisions
    ADD COLUMN seq          int NOT NULL DEFAULT 0,
    ADD COLUMN revoked_at   timestamptz,
    ADD COLUMN revoked_by   bigint REFERENCES users (id),
    ADD COLUMN revoke_ground text NOT NULL DEFAULT '',
    ADD COLUMN revoke_note  text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX decisions_nomination_seq_idx ON decisions (nomination_id, seq);
CREATE TABLE decision_awardees (
    decision_id  bigint NOT NULL REFERENCES decisions (id),
    nominee_id   bigint NOT NULL REFERENCES nominees (id),
    award_code   text NOT NULL REFERENCES awards (code),
    bonus_vnd    bigint,                 -- NULL where the award has no multiplier set
    recovered    boolean NOT NULL DEFAULT false,   -- bonus and certificate recovered after revocation
    PRIMARY KEY (decision_id, nominee_id)
);

-- Submission letters (tờ trình) of each forwarding, numbered per unit and year.
CREATE TABLE submission_letters (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    seq           int NOT NULL,
    unit_id       text NOT NULL REFERENCES units (id),
    to_unit_id    text NOT NULL REFERENCES units (id),
    year          int NOT NULL,
    number        int NOT NULL,
    code          text NOT NULL,
    signed_by     bigint NOT NULL REFERENCES users (id),
    signed_on     date NOT NULL,
    UNIQUE (unit_id, year, number),
    UNIQUE (nomination_id, seq)
);
CREATE TABLE letter_counters (
    unit_id     text NOT NULL REFERENCES units (id),
    year        int NOT NULL,
    last_number int NOT NULL,
    PRIMARY KEY (unit_id, year)
);

-- Concurrence requests (hiệp y) and their answers; silence past the deadline is
-- recorded as no objection.
CREATE TABLE concurrences (
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    round         int NOT NULL,
    unit_id       text NOT NULL REFERENCES units (id),
    requested_at  timestamptz NOT NULL,
    due_at        timestamptz NOT NULL,
    answer        text CHECK (answer IN ('agree', 'object', 'silent')),
    note          text NOT NULL DEFAULT '',
    answered_by   bigint REFERENCES users (id),
    answered_at   timestamptz,
    PRIMARY KEY (nomination_id, round, unit_id)
);

-- Public consultation (lấy ý kiến) windows and the comments filed in them.
CREATE TABLE consultations (
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    round         int NOT NULL,
    unit_id       text NOT NULL REFERENCES units (id),
    opens_at      timestamptz NOT NULL,
    closes_at     timestamptz NOT NULL,
    PRIMARY KEY (nomination_id, round)
);
CREATE TABLE consultation_comments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    round         int NOT NULL,
    author_id     bigint NOT NULL REFERENCES users (id),
    body          text NOT NULL,
    created_at    timestamptz NOT NULL
);

-- Council vote sessions (phiên họp hội đồng). Attendance records who voted; ballots
-- record what was voted without the voter, so a secret ballot stays secret.
CREATE TABLE council_sessions (
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    session       int NOT NULL,
    unit_id       text NOT NULL REFERENCES units (id),
    opened_at     timestamptz NOT NULL,
    closed_at     timestamptz,
    secret        boolean NOT NULL,
    quorum        numeric(4,3) NOT NULL,
    threshold     numeric(4,3) NOT NULL,
    members       int,            -- eligible members when closed
    present       int,            -- members who voted
    yes           int,
    no            int,
    abstain       int,
    result        text CHECK (result IN ('passed', 'failed', 'no_quorum')),
    minutes       jsonb,
    PRIMARY KEY (nomination_id, session)
);
CREATE TABLE council_attendance (
    nomination_id uuid NOT NULL,
    session       int NOT NULL,
    user_id       bigint NOT NULL REFERENCES users (id),
    voted_at      timestamptz NOT NULL,
    choice        text CHECK (choice IN ('yes', 'no', 'abstain')), -- NULL for a secret ballot
    PRIMARY KEY (nomination_id, session, user_id),
    FOREIGN KEY (nomination_id, session) REFERENCES council_sessions (nomination_id, session)
);
CREATE TABLE council_ballots (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL,
    session       int NOT NULL,
    choice        text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
    FOREIGN KEY (nomination_id, session) REFERENCES council_sessions (nomination_id, session)
);
CREATE TABLE council_conflicts (
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    user_id       bigint NOT NULL REFERENCES users (id),
    reason        text NOT NULL,
    declared_at   timestamptz NOT NULL,
    PRIMARY KEY (nomination_id, user_id)
);

-- Task assignment: a user claims a task, a unit head reassigns it; overdue flag.
ALTER TABLE tasks DROP CONSTRAINT tasks_nomination_id_seq_step_key;
ALTER TABLE tasks ADD CONSTRAINT tasks_nomination_seq_step_unit_role_key UNIQUE (nomination_id, seq, step, unit_id, role);
ALTER TABLE tasks
    ADD COLUMN assignee_id bigint REFERENCES users (id),
    ADD COLUMN remind_at   timestamptz,
    ADD COLUMN reminded_at timestamptz,
    ADD COLUMN overdue_at  timestamptz;
CREATE INDEX tasks_due_idx ON tasks (due_at) WHERE status = 'open';

-- Acting authority delegated to another user for a date range (ủy quyền).
CREATE TABLE delegations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_user_id bigint NOT NULL REFERENCES users (id),
    to_user_id   bigint NOT NULL REFERENCES users (id),
    valid_from   date NOT NULL,
    valid_to     date NOT NULL,   -- inclusive
    reason       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    CHECK (valid_to >= valid_from),
    CHECK (from_user_id <> to_user_id)
);
CREATE INDEX delegations_to_idx ON delegations (to_user_id);

ALTER TABLE audit_events ADD COLUMN on_behalf_of bigint REFERENCES users (id);
