-- 0021 down: refuses while a seniority dossier exists (the old CHECK would fail);
-- the nominee categories are dropped with their columns.
ALTER TABLE nominations DROP CONSTRAINT nominations_kind_check;
ALTER TABLE nominations ADD CONSTRAINT nominations_kind_check
    CHECK (kind IN ('merit', 'extraordinary', 'movement', 'long_service', 'foreign'));
ALTER TABLE nominees
    DROP CONSTRAINT nominees_level_individual,
    DROP CONSTRAINT nominees_enterprise_collective,
    DROP COLUMN leadership_level,
    DROP COLUMN enterprise;
DELETE FROM schema_migrations WHERE version = 21;
