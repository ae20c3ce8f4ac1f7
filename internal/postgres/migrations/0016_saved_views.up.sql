-- 0016: saved views (bộ lọc đã lưu): a user's named filter sets of a list page,
-- kept as the page's query string. A name is unique per user and page.
CREATE TABLE saved_views (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    page       text NOT NULL CHECK (page IN ('inbox', 'dossiers', 'decisions')),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    query      text NOT NULL CHECK (length(query) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, page, name)
);
