package inbox

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/internal/postgres"
)

// OpenTaskAtStep returns the open task of a dossier at a step, with its
// assignee; KindNotFound when the dossier has no open task there.
func (s *Store) OpenTaskAtStep(ctx context.Context, nominationID, step string, now time.Time) (InboxEntry, error) {
	e, err := scanInboxEntry(s.Pool.QueryRow(ctx, `SELECT t.id, t.nomination_id, n.title, n.award_code, n.status, n.version,
			t.step, t.unit_id, u.name, t.role, t.due_at, t.created_at, t.overdue_at IS NOT NULL, coalesce(t.assignee_id, 0), coalesce(a.full_name, '')
		FROM tasks t JOIN nominations n ON n.id = t.nomination_id JOIN units u ON u.id = t.unit_id
		LEFT JOIN users a ON a.id = t.assignee_id
		WHERE t.nomination_id::text = $1 AND t.step = $2 AND t.status = 'open'
		ORDER BY t.seq DESC LIMIT 1`, nominationID, step), now, false)
	return e, postgres.Translate("inbox.OpenTaskAtStep", err)
}
