-- 0019: reads at national scale (#17, scenario 2: 1M dossiers, 3M nominees, ~1.5M
-- subjects). The subject search (name typed with or without diacritics, matched
-- anywhere in the folded name: name_folded LIKE '%…%') read every subject of the
-- user's units in a sequential scan: 1.08 s for the ministry's staff over 1.5M
-- subjects (cmd/tdkt-bench -scenario reads, EXPLAIN ANALYZE). A trigram index
-- answers a LIKE with a leading wildcard. pg_trgm is a trusted extension (PostgreSQL
-- 13+): the database owner may create it, and managed services offer it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX subjects_name_folded_trgm_idx ON subjects USING gin (name_folded gin_trgm_ops);

-- The dossier list filtered by award, year and status, newest first: the planner
-- walked nominations_created_idx and filtered 838k of 1M rows for the ministry's
-- appraiser (3.3 s, EXPLAIN ANALYZE of the same bench). With the three filters in
-- the index, in front of the order, the first page is read in order directly.
CREATE INDEX nominations_award_year_status_created_idx ON nominations (award_code, year, status, created_at DESC, id);
