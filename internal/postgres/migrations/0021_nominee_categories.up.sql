-- 0021: the subject breakdown of the statistics forms 0602.N and 0603.N of
-- Thông tư 02/2023/TT-BNV (issue 14), and dossiers for seniority (niên hạn).
--
-- The clerk who enters a dossier's nominees now records whether a collective is
-- an enterprise (doanh nghiệp) and the category of an individual (leadership level,
-- businessperson, worker…; '' = not stated, which every row written before this
-- migration is). A category on a collective or household, or the enterprise flag
-- on anything but a collective, is refused.
ALTER TABLE nominees
    ADD COLUMN enterprise boolean NOT NULL DEFAULT false,
    ADD COLUMN leadership_level text NOT NULL DEFAULT ''
        CHECK (leadership_level IN ('', 'leader_central', 'leader_department', 'leader_division',
                                    'businessperson', 'worker', 'other')),
    ADD CONSTRAINT nominees_enterprise_collective CHECK (NOT enterprise OR kind = 'collective'),
    ADD CONSTRAINT nominees_level_individual CHECK (leadership_level = '' OR kind = 'individual');

-- Seniority (niên hạn, armed forces) is a dossier kind; award_records.kind had it already.
ALTER TABLE nominations DROP CONSTRAINT nominations_kind_check;
ALTER TABLE nominations ADD CONSTRAINT nominations_kind_check
    CHECK (kind IN ('merit', 'extraordinary', 'movement', 'long_service', 'foreign', 'seniority'));
