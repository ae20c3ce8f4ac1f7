-- 0025: the subject search at national scale (#17, scenario 2: 1.5M subjects).
--
-- A name is searched in part (name_folded LIKE '%nguyen van an%', awards.Store.
-- Subjects). The trigram index of 0019 answers it with the subjects that hold
-- every trigram of the query, in any order: Vietnamese names are made of a few
-- hundred common syllables, so a full name that matches nobody still drew
-- thousands of candidates, each read and rechecked ('%vi quang quan%': 3,832
-- rows, 390 ms for the ministry's units), and a hit read the long posting lists of
-- its common trigrams. The 5-letter sequences of the name, spaces included
-- ("n van", "an an"), span the joins between words and keep their order: every
-- 5-letter piece of the query is a piece of any name that contains the query, so
-- the names holding all of them are a superset of the matches (the LIKE decides),
-- and in practice the matches themselves (0 candidates for that miss, 6 ms; the
-- 273 matches of a hit and no other row). Queries shorter than 5 letters have no
-- such piece and keep the trigram index.
CREATE FUNCTION name_grams(s text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ARRAY(SELECT substr(s, i, 5) FROM generate_series(1, length(s) - 4) AS i);

CREATE INDEX subjects_name_grams_idx ON subjects USING gin (name_grams(name_folded));

-- A code is unique within its unit; the search also matches a subject by its
-- exact code (code = $q) over the reader's units, which the index (unit_id, code)
-- answered with one probe per unit: 3,356 probes, 10,000 buffers and 34–78 ms for
-- the ministry's, at every search.
CREATE INDEX subjects_code_idx ON subjects (code);
