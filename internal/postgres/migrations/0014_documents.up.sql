-- 0014: documents with legal force (issue 14).
--
-- legal_bases are the laws and decrees a decision cites as its căn cứ, as dated
-- data: a basis is cited by the authorities of its level (NULL = every level) on
-- the dates it is in force [valid_from, valid_to).
CREATE TABLE legal_bases (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level      text,                 -- levels.code, NULL = every level
    citation   text NOT NULL,        -- the full citation without "Căn cứ"
    valid_from date NOT NULL,
    valid_to   date,                 -- exclusive; NULL = still in force
    position   int  NOT NULL,        -- order of citation: laws, then decrees
    CHECK (valid_to IS NULL OR valid_to > valid_from)
);
INSERT INTO legal_bases (level, citation, valid_from, valid_to, position) VALUES
    (NULL, 'Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019', '2016-01-01', '2025-03-01', 10),
    (NULL, 'Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025', '2025-03-01', '2025-07-01', 10),
    (NULL, 'Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025', '2025-07-01', NULL, 10),
    (NULL, 'Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013', '2014-06-01', '2024-01-01', 20),
    (NULL, 'Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022', '2024-01-01', NULL, 20),
    (NULL, 'Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng', '2017-10-01', '2024-01-01', 30),
    (NULL, 'Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng', '2024-01-01', NULL, 30),
    ('commune', 'Nghị định số 129/2025/NĐ-CP ngày 11 tháng 6 năm 2025 của Chính phủ quy định việc phân định thẩm quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Nội vụ', '2025-07-01', NULL, 40),
    ('province', 'Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền trong lĩnh vực nội vụ', '2025-07-01', NULL, 40);

-- issued_documents are the PDFs tdkt issued, each once: the unsigned bytes as
-- generated (what a signed copy must start with), where its signature goes, its
-- short public verification code, and the signed original once signed.
CREATE TABLE issued_documents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE,      -- verification code, e.g. K7QD-4M2X
    kind          text NOT NULL CHECK (kind IN ('decision', 'certificate', 'submission', 'minutes', 'return_letter')),
    decision_id   bigint REFERENCES decisions (id),
    letter_id     bigint REFERENCES submission_letters (id),
    nominee_id    bigint REFERENCES nominees (id),
    nomination_id uuid NOT NULL REFERENCES nominations (id),
    unit_id       text NOT NULL REFERENCES units (id),
    title         text NOT NULL,
    pdf           bytea NOT NULL,
    seal          jsonb NOT NULL,            -- documents.Seal: page and rectangle
    signed_pdf    bytea,
    signer        text NOT NULL DEFAULT '',
    signed_at     timestamptz,
    signed_externally boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- One decision document per decision, one certificate per awardee of a decision,
-- one PDF per submission letter.
CREATE UNIQUE INDEX issued_documents_once_idx ON issued_documents
    (kind, COALESCE(decision_id, 0), COALESCE(letter_id, 0), COALESCE(nominee_id, 0));
