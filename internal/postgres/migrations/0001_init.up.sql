-- 0001: the foundation schema: the unit tree, people and their roles, the award
-- catalogue and authority rules, nomination dossiers, the inbox read model and the
-- append-only audit log.

-- Administrative levels (cấp). The chain is data: rank orders it bottom-up.
CREATE TABLE levels (
    code text PRIMARY KEY,            -- commune, district, province, central
    name text NOT NULL,               -- Vietnamese name (xã, huyện, tỉnh, trung ương)
    rank int  NOT NULL UNIQUE
);

-- Units (đơn vị): a tree with effective dates, so that the 2025 reform (districts
-- abolished) is a change of data, not of code.
CREATE TABLE units (
    id         text PRIMARY KEY,      -- stable code, e.g. LS, LS-H01, LS-H01-X001
    parent_id  text REFERENCES units (id),
    name       text NOT NULL,
    level      text NOT NULL REFERENCES levels (code),
    kind       text NOT NULL,         -- people_committee, department, enterprise, mass_org, ministry, government
    subkind    text NOT NULL DEFAULT '', -- xa, phuong, thi_tran, huyen, thanh_pho, tinh...
    valid_from date NOT NULL DEFAULT DATE '2000-01-01',
    valid_to   date,                  -- exclusive; NULL = still in force
    CHECK (valid_to IS NULL OR valid_to > valid_from),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX units_parent_idx ON units (parent_id);

CREATE TABLE users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    full_name     text NOT NULL,
    password_hash text NOT NULL,
    unit_id       text NOT NULL REFERENCES units (id),
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A role held by a user in a unit; the policy says whether it covers the subtree.
CREATE TABLE role_assignments (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text   NOT NULL,
    unit_id text   NOT NULL REFERENCES units (id),
    PRIMARY KEY (user_id, role, unit_id)
);
CREATE INDEX role_assignments_unit_role_idx ON role_assignments (unit_id, role);

-- Login sessions and bearer tokens; only the SHA-256 of a token is stored.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Award catalogue (danh hiệu thi đua, hình thức khen thưởng).
CREATE TABLE awards (
    code             text PRIMARY KEY,
    name             text NOT NULL,
    category         text NOT NULL,   -- title | commendation
    nominee_kinds    text[] NOT NULL, -- individual, collective, household, village
    bonus_multiplier numeric(6,2),    -- × base salary; NULL where not fixed
    description      text NOT NULL DEFAULT ''
);

-- Authority rules (thẩm quyền): which level decides an award proposed by a unit of a
-- given level, in force over a date range. The route of a dossier is derived from it.
CREATE TABLE authority_rules (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    award_code      text NOT NULL REFERENCES awards (code),
    submitter_level text NOT NULL REFERENCES levels (code),
    decision_level  text NOT NULL REFERENCES levels (code),
    valid_from      date NOT NULL DEFAULT DATE '2000-01-01',
    valid_to        date,
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX authority_rules_lookup_idx ON authority_rules (award_code, submitter_level);

-- Nomination dossiers (hồ sơ đề nghị). Status, current step and version are the
-- projection of the dossier's workflow, written only by the Record activity.
CREATE TABLE nominations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    workflow_id     text NOT NULL UNIQUE,
    unit_id         text NOT NULL REFERENCES units (id),
    award_code      text NOT NULL REFERENCES awards (code),
    year            int  NOT NULL CHECK (year BETWEEN 1945 AND 2200),
    title           text NOT NULL,
    status          text NOT NULL,
    current_step    text NOT NULL DEFAULT '',
    current_unit_id text REFERENCES units (id),
    route           jsonb NOT NULL,   -- the levels the dossier passes, fixed at creation
    route_index     int  NOT NULL DEFAULT 0,
    version         int  NOT NULL DEFAULT 0,
    missing_items   jsonb NOT NULL DEFAULT '[]',
    reason          text NOT NULL DEFAULT '',
    created_by      bigint NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    submitted_at    timestamptz,
    closed_at       timestamptz
);
CREATE INDEX nominations_unit_idx ON nominations (unit_id, year);
CREATE INDEX nominations_status_idx ON nominations (status);
CREATE INDEX nominations_award_year_idx ON nominations (award_code, year);

-- Nominees (đối tượng đề nghị) of a dossier.
CREATE TABLE nominees (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    position      int  NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('individual', 'collective', 'household')),
    name          text NOT NULL,
    job_title     text NOT NULL DEFAULT '',
    organisation  text NOT NULL DEFAULT '',
    achievements  text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'pending',
    UNIQUE (nomination_id, position)
);

-- Decisions (quyết định khen thưởng): numbered per issuing unit and year.
CREATE TABLE decision_counters (
    unit_id     text NOT NULL REFERENCES units (id),
    year        int  NOT NULL,
    last_number int  NOT NULL,
    PRIMARY KEY (unit_id, year)
);

CREATE TABLE decisions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL UNIQUE REFERENCES nominations (id),
    unit_id       text NOT NULL REFERENCES units (id),
    year          int  NOT NULL,
    number        int  NOT NULL,
    code          text NOT NULL,      -- e.g. 12/QĐ-UBND
    signed_by     bigint NOT NULL REFERENCES users (id),
    signed_on     date NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (unit_id, year, number)
);

-- Tasks: the inbox read model. A task belongs to a role in a unit.
CREATE TABLE tasks (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
    seq           int  NOT NULL,      -- the dossier version that opened it
    step          text NOT NULL,      -- submit, appraise, supplement, decide, forward
    unit_id       text NOT NULL REFERENCES units (id),
    role          text NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    due_at        timestamptz,
    created_at    timestamptz NOT NULL,
    done_at       timestamptz,
    done_by       bigint REFERENCES users (id),
    outcome       text NOT NULL DEFAULT '',
    UNIQUE (nomination_id, seq, step)
);
-- The inbox query: open tasks of a (unit, role), soonest due first.
CREATE INDEX tasks_inbox_idx ON tasks (unit_id, role, due_at, id) WHERE status = 'open';
CREATE INDEX tasks_nomination_idx ON tasks (nomination_id);

-- Audit events: append-only; one per dossier transition, keyed by (dossier, seq) so
-- that a retried Record writes it once.
CREATE TABLE audit_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid REFERENCES nominations (id),
    seq           int  NOT NULL,
    at            timestamptz NOT NULL,
    actor_id      bigint REFERENCES users (id),
    action        text NOT NULL,
    from_status   text NOT NULL DEFAULT '',
    to_status     text NOT NULL DEFAULT '',
    unit_id       text REFERENCES units (id),
    details       jsonb NOT NULL DEFAULT '{}',
    UNIQUE (nomination_id, seq)
);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
