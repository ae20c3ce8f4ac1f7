-- 0002: in-app notifications (thông báo), with an e-mail outbox: a notification for a
-- user with an e-mail address is sent by the mailer and marked emailed_at.
ALTER TABLE users ADD COLUMN email text NOT NULL DEFAULT '';

CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,          -- task, reminder, overdue, escalation, decision, review…
    title      text NOT NULL,
    body       text NOT NULL DEFAULT '',
    link       text NOT NULL DEFAULT '', -- a path in the web UI or API
    dedup_key  text,                   -- makes a retried notify write once
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz,
    emailed_at timestamptz,
    UNIQUE (user_id, dedup_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_outbox_idx ON notifications (id) WHERE emailed_at IS NULL;
