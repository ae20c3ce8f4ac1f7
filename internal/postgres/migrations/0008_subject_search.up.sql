-- 0008: subject search with or without Vietnamese diacritics. The folded name is
-- history.Fold of the name (the map history.FoldFrom → history.FoldTo, then lower
-- case), kept by the database as a stored generated column: it is computed once
-- when a name is written instead of for every row of every search, and no code
-- that writes subjects has to remember it. The unaccent extension is not used: a
-- managed database may not offer it, and it does not fold exactly like the search.
ALTER TABLE subjects ADD COLUMN name_folded text
    GENERATED ALWAYS AS (lower(translate(name, 'àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ', 'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyydaaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd'))) STORED;
