package app

import "github.com/tdkt/tdkt/internal/domain"

// hideUnseen turns the refusal to read an object into the answer for an object
// that does not exist (KindNotFound with notFound, the message the store gives
// for an unknown one), so that the
// difference between 403 and 404 does not tell a caller which IDs exist in
// units they may not see. A caller who may see an object but not act on it
// still gets KindForbidden from the later check of the action. Other errors
// pass unchanged.
func hideUnseen(err error, notFound string) error {
	if domain.IsKind(err, domain.KindForbidden) {
		return &domain.Error{Kind: domain.KindNotFound, Message: notFound}
	}
	return err
}
