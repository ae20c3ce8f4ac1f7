-- 0017: a human-readable dossier code (số hồ sơ) per submitting unit and year,
-- e.g. LS-09-003/2026/0012: the unit's code, the year the dossier was created
-- (Vietnam time) and its number in that unit and year. The number is taken from
-- a counter row in the transaction that inserts the dossier, so a rolled-back
-- creation gives its number back: the numbers of a unit and year have no gaps.
-- A trigger assigns it, so every way a dossier is inserted gets one.
CREATE TABLE dossier_counters (
    unit_id     text NOT NULL REFERENCES units (id),
    year        int  NOT NULL,
    last_number int  NOT NULL,
    PRIMARY KEY (unit_id, year)
);

ALTER TABLE nominations ADD COLUMN code text;

CREATE FUNCTION nominations_assign_code() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    y int := extract(year FROM (NEW.created_at AT TIME ZONE 'UTC') + interval '7 hours');
    num int;
BEGIN
    IF NEW.code IS NOT NULL THEN
        RETURN NEW;
    END IF;
    INSERT INTO dossier_counters (unit_id, year, last_number) VALUES (NEW.unit_id, y, 1)
        ON CONFLICT (unit_id, year) DO UPDATE SET last_number = dossier_counters.last_number + 1
        RETURNING last_number INTO num;
    NEW.code := NEW.unit_id || '/' || y || '/' || lpad(num::text, 4, '0');
    RETURN NEW;
END $$;

CREATE TRIGGER nominations_code BEFORE INSERT ON nominations
    FOR EACH ROW EXECUTE FUNCTION nominations_assign_code();

-- The dossiers already there are numbered in the order they were created.
WITH numbered AS (
    SELECT id, unit_id, extract(year FROM (created_at AT TIME ZONE 'UTC') + interval '7 hours')::int AS y,
        row_number() OVER (PARTITION BY unit_id, extract(year FROM (created_at AT TIME ZONE 'UTC') + interval '7 hours')
            ORDER BY created_at, id) AS num
    FROM nominations)
UPDATE nominations n SET code = x.unit_id || '/' || x.y || '/' || lpad(x.num::text, 4, '0')
FROM numbered x WHERE x.id = n.id;

INSERT INTO dossier_counters (unit_id, year, last_number)
SELECT unit_id, extract(year FROM (created_at AT TIME ZONE 'UTC') + interval '7 hours')::int, count(*)
FROM nominations GROUP BY 1, 2;

ALTER TABLE nominations ALTER COLUMN code SET NOT NULL;
ALTER TABLE nominations ADD CONSTRAINT nominations_code_key UNIQUE (code);

-- The dossier list's text search finds words of the code, the title or a
-- nominee's name with or without diacritics: title and names are folded as
-- history.Fold folds them (the map of migration 0008), once when written.
ALTER TABLE nominations ADD COLUMN title_folded text
    GENERATED ALWAYS AS (lower(translate(title, 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ', 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd'))) STORED;
ALTER TABLE nominees ADD COLUMN name_folded text
    GENERATED ALWAYS AS (lower(translate(name, 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ', 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd'))) STORED;
