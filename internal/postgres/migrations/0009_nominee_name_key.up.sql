-- 0009: the same-name check of a dossier's nominees (possible duplicates, see
-- store.NominationConflicts) reads an index instead of every nominee. The key is
-- the name in lower case with the Vietnamese capitals mapped explicitly: lower()
-- alone follows the database's ctype, and under "C" it leaves Đ, Ư, Ơ… as they
-- are, so "Đỗ Văn An" would never meet "đỗ văn an" (Go's strings.ToLower, which
-- the store uses for the names it looks up, folds them). Diacritics are kept:
-- "Hùng" and "Hưng" are different people.
ALTER TABLE nominees ADD COLUMN name_key text
    GENERATED ALWAYS AS (lower(translate(name, 'ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ', 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ'))) STORED;
CREATE INDEX nominees_name_key_idx ON nominees (name_key);
