-- 0020: the registers of the documents a dossier's procedure issues besides the
-- decision and the submission letter (issue 14), and the decider's title.
--
-- A return letter (công văn trả lại hồ sơ) is numbered in the returning unit's
-- yearly register when the dossier is returned, like a decision: one number per
-- letter, issued once, gapless (the counter row is locked by the upsert).
CREATE TABLE return_letters (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    seq           int NOT NULL,               -- the return's audit event
    unit_id       text NOT NULL REFERENCES units (id),
    year          int NOT NULL,
    number        int NOT NULL,
    code          text NOT NULL,              -- e.g. 4/UBND-TĐKT
    signed_by     bigint NOT NULL REFERENCES users (id),
    signed_on     date NOT NULL,
    UNIQUE (unit_id, year, number),
    UNIQUE (nomination_id, seq)
);
CREATE TABLE return_letter_counters (
    unit_id     text NOT NULL REFERENCES units (id),
    year        int NOT NULL,
    last_number int NOT NULL,
    PRIMARY KEY (unit_id, year)
);

-- The minutes of a council vote are numbered in the council's yearly register
-- when the vote closes.
ALTER TABLE council_sessions
    ADD COLUMN minutes_number int,
    ADD COLUMN minutes_code   text;
CREATE TABLE minutes_counters (
    unit_id     text NOT NULL REFERENCES units (id),
    year        int NOT NULL,
    last_number int NOT NULL,
    PRIMARY KEY (unit_id, year)
);

-- The title of a user who signs decisions, as Decree 30 writes the signature
-- authority: the chair signs TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH, a vice-chair
-- KT. CHỦ TỊCH / PHÓ CHỦ TỊCH, an acting chair TM. ỦY BAN NHÂN DÂN / Q. CHỦ TỊCH.
-- The decision records the signer's title on the day it is signed.
ALTER TABLE users ADD COLUMN title text NOT NULL DEFAULT ''
    CHECK (title IN ('', 'chair', 'vice_chair', 'acting_chair'));
ALTER TABLE decisions ADD COLUMN signer_title text NOT NULL DEFAULT '';

-- Issued documents that belong to neither a decision nor a submission letter are
-- named by ref within their dossier: the return letter's id, the council session,
-- the appraisal's audit event.
ALTER TABLE issued_documents ADD COLUMN ref text NOT NULL DEFAULT '';
ALTER TABLE issued_documents DROP CONSTRAINT issued_documents_kind_check;
ALTER TABLE issued_documents ADD CONSTRAINT issued_documents_kind_check
    CHECK (kind IN ('decision', 'certificate', 'submission', 'minutes', 'return_letter', 'appraisal'));
DROP INDEX issued_documents_once_idx;
CREATE UNIQUE INDEX issued_documents_once_idx ON issued_documents
    (kind, nomination_id, COALESCE(decision_id, 0), COALESCE(letter_id, 0), COALESCE(nominee_id, 0), ref);
