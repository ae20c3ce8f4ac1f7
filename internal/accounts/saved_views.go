package accounts

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/domain"
)

// viewPages are the list pages a view may be saved for.
var viewPages = map[string]bool{"inbox": true, "dossiers": true, "decisions": true}

// SaveView saves the user's filters of a list page under a name (1–80 characters),
// replacing a view of that name. The query must be a query string of at most 1000
// characters. KindInvalid lists every offending field.
func (s *Service) SaveView(ctx context.Context, userID int64, page, name, query string) (SavedView, error) {
	name = strings.TrimSpace(name)
	var fields []domain.FieldError
	if !viewPages[page] {
		fields = append(fields, domain.FieldError{Field: "page", Message: "unknown list page"})
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 80 {
		fields = append(fields, domain.FieldError{Field: "name", Message: "required, at most 80 characters"})
	}
	if _, err := url.ParseQuery(query); err != nil || len(query) > 1000 {
		fields = append(fields, domain.FieldError{Field: "query", Message: "not a query string of at most 1000 characters"})
	}
	if len(fields) > 0 {
		return SavedView{}, domain.Invalid("invalid view", fields...)
	}
	return s.Store.SaveView(ctx, userID, SavedView{Page: page, Name: name, Query: query})
}

// SavedViews lists the user's views of a list page.
func (s *Service) SavedViews(ctx context.Context, userID int64, page string) ([]SavedView, error) {
	return s.Store.SavedViews(ctx, userID, page)
}

// DeleteView removes one of the user's views; KindNotFound when the user has no
// such view.
func (s *Service) DeleteView(ctx context.Context, userID, id int64) error {
	ok, err := s.Store.DeleteView(ctx, userID, id)
	if err == nil && !ok {
		err = domain.Errorf(domain.KindNotFound, "no such view")
	}
	return err
}
