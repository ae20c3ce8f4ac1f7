package accounts

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/tdkt/tdkt/internal/postgres"
)

// SavedView is a user's named filter set of a list page (bộ lọc đã lưu).
type SavedView struct {
	ID    int64  `json:"id"`
	Page  string `json:"page"`
	Name  string `json:"name"`
	Query string `json:"query"`
}

// SaveView stores a user's view, replacing the query of one with the same name on
// the same page.
func (s *Store) SaveView(ctx context.Context, userID int64, v SavedView) (SavedView, error) {
	err := s.Pool.QueryRow(ctx, `INSERT INTO saved_views (user_id, page, name, query) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id, page, name) DO UPDATE SET query = EXCLUDED.query RETURNING id`,
		userID, v.Page, v.Name, v.Query).Scan(&v.ID)
	return v, postgres.Translate("accounts.SaveView", err)
}

// SavedViews lists a user's views of a page by name.
func (s *Store) SavedViews(ctx context.Context, userID int64, page string) ([]SavedView, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, page, name, query FROM saved_views WHERE user_id = $1 AND page = $2 ORDER BY name`,
		userID, page)
	if err != nil {
		return nil, postgres.Translate("accounts.SavedViews", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SavedView, error) {
		var v SavedView
		err := r.Scan(&v.ID, &v.Page, &v.Name, &v.Query)
		return v, err
	})
	return out, postgres.Translate("accounts.SavedViews", err)
}

// DeleteView removes one of the user's views; it reports whether there was one.
func (s *Store) DeleteView(ctx context.Context, userID, id int64) (bool, error) {
	tag, err := s.Pool.Exec(ctx, `DELETE FROM saved_views WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return false, postgres.Translate("accounts.DeleteView", err)
	}
	return tag.RowsAffected() == 1, nil
}
