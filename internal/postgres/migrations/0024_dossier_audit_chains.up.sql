-- 0024: one audit chain per dossier, anchored in the global chain.
--
-- Until now every audit row took the global chain head's row lock from its insert
-- to its commit, so every action of every dossier in the country queued on one
-- row. From here a dossier's events (nomination_id set) are chained per dossier:
-- dossier_pos is the event's place in its dossier's chain, prev_hash the hash of
-- the dossier's previous event (zeros for its first), hash SHA-256 over prev_hash
-- and audit_event_canonical_dossier; the lock taken is the dossier's own head row
-- in audit_dossier_heads, which only that dossier's writers take (and a dossier's
-- workflow already runs one action at a time). Their chain_seq stays NULL.
--
-- Every other event (administration, reorganisation, anchors) stays in the global
-- chain as before. An anchor is a global event, written by audit_anchor() (the
-- worker calls it every 30 s), listing the heads — dossier, position, hash — of
-- the dossier chains that moved since the last anchor. Rewriting a dossier's
-- events with their hashes recomputed then contradicts an anchor, which cannot be
-- rewritten without breaking the global chain. Events written before this
-- migration keep their places in the global chain.
ALTER TABLE audit_events
    ADD COLUMN dossier_pos int,
    ALTER COLUMN chain_seq DROP NOT NULL;
CREATE UNIQUE INDEX audit_events_dossier_chain_idx ON audit_events (nomination_id, dossier_pos)
    WHERE dossier_pos IS NOT NULL;
CREATE INDEX audit_events_anchor_idx ON audit_events (chain_seq) WHERE action = 'anchor' AND nomination_id IS NULL;

-- The head of each dossier's chain, and the position last anchored. Only the
-- SECURITY DEFINER trigger and audit_anchor() write it.
CREATE TABLE audit_dossier_heads (
    nomination_id uuid PRIMARY KEY,
    last_pos      int   NOT NULL,
    last_hash     bytea NOT NULL,
    anchored_pos  int   NOT NULL DEFAULT 0
);
CREATE INDEX audit_dossier_heads_unanchored_idx ON audit_dossier_heads (nomination_id) WHERE last_pos > anchored_pos;

-- The canonical content of a dossier-chained row: its dossier position in place
-- of the global position, then the same columns as audit_event_canonical.
CREATE FUNCTION audit_event_canonical_dossier(e audit_events) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_array('dossier', e.dossier_pos, e.id, e.nomination_id, e.seq,
        (extract(epoch FROM e.at) * 1000000)::bigint, e.actor_id, e.on_behalf_of, e.action,
        e.from_status, e.to_status, e.unit_id, e.details)::text
$$;

CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    head audit_chain_head;
    d    audit_dossier_heads;
BEGIN
    IF NEW.nomination_id IS NOT NULL THEN
        -- The dossier's head row is locked until the inserting transaction ends.
        INSERT INTO audit_dossier_heads (nomination_id, last_pos, last_hash)
            VALUES (NEW.nomination_id, 0, decode(repeat('00', 32), 'hex'))
            ON CONFLICT (nomination_id) DO NOTHING;
        SELECT * INTO d FROM audit_dossier_heads WHERE nomination_id = NEW.nomination_id FOR UPDATE;
        NEW.chain_seq := NULL;
        NEW.dossier_pos := d.last_pos + 1;
        NEW.prev_hash := d.last_hash;
        NEW.hash := sha256(NEW.prev_hash || convert_to(audit_event_canonical_dossier(NEW), 'UTF8'));
        UPDATE audit_dossier_heads SET last_pos = NEW.dossier_pos, last_hash = NEW.hash
            WHERE nomination_id = NEW.nomination_id;
        RETURN NEW;
    END IF;
    -- The row lock is held until the inserting transaction ends: the next insert
    -- waits and chains to this row's hash, or to the old head if this one rolls back.
    SELECT * INTO head FROM audit_chain_head WHERE singleton FOR UPDATE;
    NEW.dossier_pos := NULL;
    NEW.chain_seq := head.last_seq + 1;
    NEW.prev_hash := head.last_hash;
    NEW.hash := sha256(NEW.prev_hash || convert_to(audit_event_canonical(NEW), 'UTF8'));
    UPDATE audit_chain_head SET last_seq = NEW.chain_seq, last_hash = NEW.hash WHERE singleton;
    RETURN NEW;
END $$;

-- audit_anchor writes one anchor event into the global chain listing the heads of
-- up to 20,000 dossier chains that moved since their last anchor (a head being
-- written right now is skipped and taken next time) and returns how many it
-- listed; 0 writes nothing.
CREATE FUNCTION audit_anchor() RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    heads jsonb;
    n     int;
BEGIN
    WITH moved AS (
        SELECT nomination_id, last_pos, last_hash FROM audit_dossier_heads
        WHERE last_pos > anchored_pos ORDER BY nomination_id LIMIT 20000 FOR UPDATE SKIP LOCKED),
    marked AS (
        UPDATE audit_dossier_heads h SET anchored_pos = m.last_pos FROM moved m
        WHERE h.nomination_id = m.nomination_id
        RETURNING m.nomination_id, m.last_pos, m.last_hash)
    SELECT jsonb_agg(jsonb_build_array(nomination_id, last_pos, encode(last_hash, 'hex')) ORDER BY nomination_id), count(*)
        INTO heads, n FROM marked;
    IF n = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO audit_events (nomination_id, seq, at, action, details)
        VALUES (NULL, 0, clock_timestamp(), 'anchor', jsonb_build_object('heads', heads));
    RETURN n;
END $$;

-- The application role may read the dossier heads, not write them.
REVOKE ALL ON audit_dossier_heads FROM PUBLIC;
CREATE OR REPLACE FUNCTION audit_restrict_role(r name) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', r);
    IF to_regclass('review_events') IS NOT NULL THEN
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON review_events FROM %I', r);
    END IF;
    EXECUTE format('REVOKE ALL ON audit_chain_head FROM %I', r);
    EXECUTE format('GRANT SELECT ON audit_chain_head TO %I', r);
    EXECUTE format('REVOKE ALL ON audit_dossier_heads FROM %I', r);
    EXECUTE format('GRANT SELECT ON audit_dossier_heads TO %I', r);
END $$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tdkt_app') THEN
        PERFORM audit_restrict_role('tdkt_app');
    END IF;
END $$;
