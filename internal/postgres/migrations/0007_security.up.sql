-- 0007: security and reliability. The audit log becomes a hash chain; the
-- application's database role loses UPDATE, DELETE and TRUNCATE on it; requests
-- carry idempotency keys; logins are throttled per account and per address; users
-- hold revocable API tokens.

-- Tamper-evident audit log (nhật ký kiểm toán). Every audit_events row gets its
-- place in one chain (chain_seq), the hash of the row before it (prev_hash) and its
-- own hash: SHA-256 over prev_hash and the row's canonical content. The chain is
-- computed in PostgreSQL by a BEFORE INSERT trigger under a row lock on the chain
-- head, so every code path that inserts an audit row is chained, and concurrent
-- inserts queue on the head and chain in commit order. `tdkt audit verify` walks it.
ALTER TABLE audit_events
    ADD COLUMN chain_seq bigint,
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash      bytea;

-- The head of the chain: the last position and hash. One row; only the trigger
-- (SECURITY DEFINER) writes it.
CREATE TABLE audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq  bigint NOT NULL,
    last_hash bytea  NOT NULL
);
INSERT INTO audit_chain_head (singleton, last_seq, last_hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

-- The canonical content of an audit row: a JSON array of its columns in a fixed
-- order, the instant in microseconds since the epoch (independent of the session's
-- time zone) and the details as jsonb's normalised text. A column added to
-- audit_events later is not covered until it is added here (in a new migration).
CREATE FUNCTION audit_event_canonical(e audit_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array(e.chain_seq, e.id, e.nomination_id, e.seq,
        (extract(epoch FROM e.at) * 1000000)::bigint, e.actor_id, e.on_behalf_of, e.action,
        e.from_status, e.to_status, e.unit_id, e.details)::text
$$;

CREATE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    head audit_chain_head;
BEGIN
    -- The row lock is held until the inserting transaction ends: the next insert
    -- waits and chains to this row's hash, or to the old head if this one rolls back.
    SELECT * INTO head FROM audit_chain_head WHERE singleton FOR UPDATE;
    NEW.chain_seq := head.last_seq + 1;
    NEW.prev_hash := head.last_hash;
    NEW.hash := sha256(NEW.prev_hash || convert_to(audit_event_canonical(NEW), 'UTF8'));
    UPDATE audit_chain_head SET last_seq = NEW.chain_seq, last_hash = NEW.hash WHERE singleton;
    RETURN NEW;
END $$;

-- Chain the rows written before this migration, in id order.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
DO $$
DECLARE
    r    audit_events;
    prev bytea := decode(repeat('00', 32), 'hex');
    n    bigint := 0;
BEGIN
    FOR r IN SELECT * FROM audit_events ORDER BY id LOOP
        n := n + 1;
        r.chain_seq := n;
        r.prev_hash := prev;
        r.hash := sha256(prev || convert_to(audit_event_canonical(r), 'UTF8'));
        UPDATE audit_events SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, hash = r.hash WHERE id = r.id;
        prev := r.hash;
    END LOOP;
    UPDATE audit_chain_head SET last_seq = n, last_hash = prev;
END $$;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;

ALTER TABLE audit_events
    ALTER COLUMN chain_seq SET NOT NULL,
    ALTER COLUMN prev_hash SET NOT NULL,
    ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX audit_events_chain_idx ON audit_events (chain_seq);

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
-- 0001's trigger refuses UPDATE and DELETE; TRUNCATE is a statement of its own.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- Privileges. Nobody but the owner may change the audit tables. In production the
-- application connects as a role that does not own the schema (docker-compose's
-- tdkt_app, created by deploy/postgres/init-app-role.sql); audit_restrict_role takes
-- UPDATE, DELETE and TRUNCATE on the audit tables and every right on the chain head
-- away from such a role. It is applied to tdkt_app here when the role exists.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;
REVOKE ALL ON audit_chain_head FROM PUBLIC;

CREATE FUNCTION audit_restrict_role(r name) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', r);
    IF to_regclass('review_events') IS NOT NULL THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON review_events FROM %I', r);
    END IF;
    EXECUTE format('REVOKE ALL ON audit_chain_head FROM %I', r);
    EXECUTE format('GRANT SELECT ON audit_chain_head TO %I', r);
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tdkt_app') THEN
        PERFORM audit_restrict_role('tdkt_app');
    END IF;
END $$;

-- Idempotency keys (Idempotency-Key header) of create, submit and action requests:
-- the first request with a key claims it; its response is stored and replayed to a
-- retry with the same key and the same request; a retry while the first is still
-- running is refused until the lease ends (a crashed API's claim expires).
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text   NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash bytea  NOT NULL,          -- SHA-256 of method, route, path and body
    resource_id  text   NOT NULL DEFAULT '', -- the dossier a create makes, chosen when claimed
    status       int,                       -- NULL while the first request runs
    content_type text   NOT NULL DEFAULT '',
    location     text   NOT NULL DEFAULT '',
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz NOT NULL,
    completed_at timestamptz,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Login attempts and lockouts, in PostgreSQL so that every API replica counts the
-- same failures. Usernames are stored lower-cased, known or not.
CREATE TABLE login_attempts (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username text NOT NULL,
    ip       text NOT NULL DEFAULT '',
    at       timestamptz NOT NULL,
    ok       boolean NOT NULL
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at) WHERE ip <> '';

CREATE TABLE login_lockouts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('account', 'ip')),
    subject      text NOT NULL,              -- the lower-cased username or the address
    locked_at    timestamptz NOT NULL,
    locked_until timestamptz NOT NULL,
    cleared_at   timestamptz,
    cleared_by   bigint REFERENCES users (id)
);
CREATE INDEX login_lockouts_subject_idx ON login_lockouts (kind, subject, locked_until);

-- Personal API tokens (khóa truy cập API): only the SHA-256 of a token is stored;
-- a token authenticates like a session until it expires or is revoked.
CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text   NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea  NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
