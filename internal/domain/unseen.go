package domain

// HideUnseen turns the refusal to read an object (KindForbidden), or the
// absence of the object it hangs on (KindNotFound, e.g. a document's dossier
// hidden in turn), into the answer for an object that does not exist:
// KindNotFound with notFound, the message the store gives for an unknown one.
// The difference between 403 and 404 then does not tell a caller which
// (sequential) IDs exist in units they may not see. A caller who may see an
// object but not act on it still gets KindForbidden from the later check of the
// action. Other errors pass unchanged.
func HideUnseen(err error, notFound string) error {
	switch KindOf(err) {
	case KindForbidden, KindNotFound:
		return &Error{Kind: KindNotFound, Message: notFound}
	}
	return err
}
