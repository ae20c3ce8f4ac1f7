package dossiers

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/postgres"
)

// outcomeTitles say, per action, what happened to a dossier, for the clerks of the
// unit that submitted it.
var outcomeTitles = map[domain.Action]string{
	domain.ActionForward: "Hồ sơ đã được trình lên cấp trên",
	domain.ActionDecide:  "Hồ sơ đã có quyết định khen thưởng",
	domain.ActionReject:  "Hồ sơ không được khen thưởng",
	domain.ActionReturn:  "Hồ sơ bị trả lại, yêu cầu bổ sung",
}

// NotifyOutcomeTx tells the clerks of the unit that submitted a dossier what has
// just happened to it when a transition forwards, decides, rejects or returns it:
// the title names what happened and the dossier, the body where and when (a
// Vietnamese date and time), with the reason or the missing items. Other actions
// write nothing. A retried transition writes once (dedup on the dossier's version).
// It returns how many users were told. The Record activity calls it after the
// transition's tasks.
func NotifyOutcomeTx(ctx context.Context, tx pgx.Tx, t domain.Transition) (int64, error) {
	what, ok := outcomeTitles[t.Action]
	if !ok {
		return 0, nil
	}
	var title, unitID, where string
	if err := tx.QueryRow(ctx, `SELECT n.title, n.unit_id, coalesce(u.name, '') FROM nominations n
		LEFT JOIN units u ON u.id = $2 WHERE n.id = $1`, t.NominationID, t.UnitID).Scan(&title, &unitID, &where); err != nil {
		return 0, postgres.Translate("dossiers.NotifyOutcome", err)
	}
	body := fmt.Sprintf("%s, lúc %s.", where, t.At.In(calendar.Zone).Format("15:04 ngày 02/01/2006"))
	if t.Reason != "" && (t.Action == domain.ActionReject || t.Action == domain.ActionReturn) {
		body += " Lý do: " + t.Reason + "."
	}
	if len(t.MissingItems) > 0 {
		body += " Cần bổ sung:"
		for _, m := range t.MissingItems {
			body += "\n– " + m
		}
	}
	if t.Note != "" {
		body += "\nGhi chú: " + t.Note
	}
	return inbox.NotifyTx(ctx, tx, inbox.NewNotification{UnitID: unitID, Role: domain.RoleClerk, Kind: "outcome",
		Title: what + ": " + title, Body: body, Link: "/nominations/" + t.NominationID,
		DedupKey: fmt.Sprintf("outcome:%s:%d", t.NominationID, t.Seq), At: t.At})
}
