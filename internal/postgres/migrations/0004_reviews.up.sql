-- 0004: emulation movements (phong trào thi đua) with their registrations, indicator
-- templates, review campaigns (sơ kết, tổng kết) collected up the unit tree with one
-- report per unit, their events, recurring review schedules, and the link from a
-- nomination to the movement and campaign it commends (khen thưởng phong trào).

-- Indicator templates (mẫu báo cáo) as data: definition is a review.Template.
CREATE TABLE review_templates (
    code       text PRIMARY KEY,
    name       text NOT NULL,
    definition jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Movements, launched by a unit with a plan; a lower level's version points to the
-- movement it implements (parent_id). status and version are the projection of the
-- movement's workflow.
CREATE TABLE movements (
    id              uuid PRIMARY KEY,
    workflow_id     text NOT NULL UNIQUE,
    parent_id       uuid REFERENCES movements (id),
    unit_id         text NOT NULL REFERENCES units (id),
    name            text NOT NULL,
    decision_number text NOT NULL DEFAULT '',   -- quyết định / kế hoạch phát động
    decision_date   date,
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    goals           text NOT NULL DEFAULT '',
    criteria        text NOT NULL DEFAULT '',
    template_code   text NOT NULL REFERENCES review_templates (code),
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
    seq             int  NOT NULL DEFAULT 0,
    created_by      bigint REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz,
    CHECK (period_end > period_start),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX movements_unit_idx ON movements (unit_id);
CREATE INDEX movements_parent_idx ON movements (parent_id);

-- Registrations (đăng ký thi đua): one per unit and movement, with its commitments.
CREATE TABLE movement_registrations (
    movement_id   uuid NOT NULL REFERENCES movements (id),
    unit_id       text NOT NULL REFERENCES units (id),
    commitments   text NOT NULL,
    registered_by bigint REFERENCES users (id),
    registered_at timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (movement_id, unit_id)
);

-- Events of a movement's workflow, keyed by (movement, seq) so a retried record
-- writes once.
CREATE TABLE movement_events (
    movement_id uuid NOT NULL REFERENCES movements (id),
    seq         int  NOT NULL,
    at          timestamptz NOT NULL,
    actor_id    bigint REFERENCES users (id),
    action      text NOT NULL,
    unit_id     text REFERENCES units (id),
    details     jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (movement_id, seq)
);

-- Review campaigns (đợt sơ kết, tổng kết): requested by a unit for a movement, with a
-- snapshot of the template and the deadline plan per depth.
CREATE TABLE review_campaigns (
    id               uuid PRIMARY KEY,
    workflow_id      text NOT NULL UNIQUE,
    movement_id      uuid NOT NULL REFERENCES movements (id),
    unit_id          text NOT NULL REFERENCES units (id),   -- the requesting unit
    kind             text NOT NULL CHECK (kind IN ('annual', 'midterm', 'final')),
    title            text NOT NULL,
    period_label     text NOT NULL DEFAULT '',
    letter_number    text NOT NULL DEFAULT '',               -- công văn yêu cầu báo cáo
    letter_date      date,
    template         jsonb NOT NULL,
    final_deadline   timestamptz NOT NULL,
    gap_days         int  NOT NULL CHECK (gap_days >= 0),
    reminder_days    int  NOT NULL CHECK (reminder_days >= 0),
    explicit_deadlines jsonb NOT NULL DEFAULT '[]',
    depths           int  NOT NULL,
    levels           jsonb NOT NULL DEFAULT '[]',            -- []review.LevelPlan
    status           text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'closed')),
    schedule_key     text UNIQUE,                            -- schedule id + scheduled day, when a schedule opened it
    created_by       bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    closed_at        timestamptz
);
CREATE INDEX review_campaigns_movement_idx ON review_campaigns (movement_id);
CREATE INDEX review_campaigns_unit_idx ON review_campaigns (unit_id);

-- One report per participating unit: the root (the requesting unit, depth 0) and every
-- unit below it. Status, version and values are the projection of the unit's workflow;
-- aggregate and missing_units are recomputed from the children in the transaction that
-- records a child's submission, return or acceptance.
CREATE TABLE review_reports (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id       uuid NOT NULL REFERENCES review_campaigns (id),
    unit_id           text NOT NULL REFERENCES units (id),
    parent_unit_id    text REFERENCES units (id),
    depth             int  NOT NULL CHECK (depth >= 0),
    status            text NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'draft', 'submitted', 'returned', 'accepted', 'collecting', 'completed', 'closed')),
    version           int  NOT NULL DEFAULT 0,
    seq               int  NOT NULL DEFAULT 0,
    deadline          timestamptz,
    remind_at         timestamptz,
    vals              jsonb NOT NULL DEFAULT '{}',           -- review.Values
    aggregate         jsonb NOT NULL DEFAULT '{}',           -- review.Values of the children that reported
    missing_units     text[] NOT NULL DEFAULT '{}',
    children_total    int  NOT NULL DEFAULT 0,
    children_reported int  NOT NULL DEFAULT 0,
    prefilled_at      timestamptz,
    submitted_at      timestamptz,
    submitted_by      bigint REFERENCES users (id),
    late              boolean NOT NULL DEFAULT false,
    stale             boolean NOT NULL DEFAULT false,        -- a child reported after this report was submitted
    returned_count    int  NOT NULL DEFAULT 0,
    return_reason     text NOT NULL DEFAULT '',
    accepted_at       timestamptz,
    accepted_by       bigint REFERENCES users (id),
    reminded_at       timestamptz,
    overdue_at        timestamptz,
    updated_at        timestamptz NOT NULL,
    UNIQUE (campaign_id, unit_id),
    CHECK ((depth = 0) = (parent_unit_id IS NULL))
);
CREATE INDEX review_reports_parent_idx ON review_reports (campaign_id, parent_unit_id, unit_id);
CREATE INDEX review_reports_unit_idx ON review_reports (unit_id);

-- Events of the reports, append-only, keyed by (report, seq).
CREATE TABLE review_events (
    report_id   bigint NOT NULL REFERENCES review_reports (id),
    seq         int  NOT NULL,
    at          timestamptz NOT NULL,
    actor_id    bigint REFERENCES users (id),
    action      text NOT NULL,
    from_status text NOT NULL DEFAULT '',
    to_status   text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (report_id, seq)
);
CREATE TRIGGER review_events_no_update BEFORE UPDATE OR DELETE ON review_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- Recurring reviews: the read model of the Temporal schedules that open campaigns.
CREATE TABLE review_schedules (
    id          text PRIMARY KEY,                            -- the Temporal schedule id
    movement_id uuid NOT NULL REFERENCES movements (id),
    kind        text NOT NULL CHECK (kind IN ('annual', 'midterm', 'final')),
    spec        jsonb NOT NULL,                              -- when it fires and the campaign it opens
    paused      boolean NOT NULL DEFAULT false,
    note        text NOT NULL DEFAULT '',
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (movement_id, kind)
);

-- Commendation from a review: the movement and campaign a dossier commends.
ALTER TABLE nominations
    ADD COLUMN movement_id uuid REFERENCES movements (id),
    ADD COLUMN campaign_id uuid REFERENCES review_campaigns (id);
CREATE INDEX nominations_movement_idx ON nominations (movement_id) WHERE movement_id IS NOT NULL;
CREATE INDEX nominations_campaign_idx ON nominations (campaign_id) WHERE campaign_id IS NOT NULL;
