-- 0012: separation of duties by identity. A user account may be linked to the
-- person subject (đối tượng) it stands for, so that a nominee linked to the same
-- subject is the same person; every role grant records who granted it and when, and
-- every account who created it, so that nobody obtains a role through accounts they
-- created or empowered.
ALTER TABLE users ADD COLUMN subject_id bigint REFERENCES subjects (id);
ALTER TABLE users ADD COLUMN created_by bigint REFERENCES users (id);
ALTER TABLE role_assignments ADD COLUMN granted_by bigint REFERENCES users (id);
ALTER TABLE role_assignments ADD COLUMN granted_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX role_assignments_granted_by_idx ON role_assignments (granted_by) WHERE granted_by IS NOT NULL;
