package dossiers

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/domain"
)

// register names a yearly numbering register (sổ đăng ký văn bản) of a unit: its
// counter table. Every numbered document of tdkt takes its number through
// nextNumber.
type register string

const (
	decisionRegister register = "decision_counters"      // quyết định
	letterRegister   register = "letter_counters"        // tờ trình
	returnRegister   register = "return_letter_counters" // công văn trả lại hồ sơ
	minutesRegister  register = "minutes_counters"       // biên bản họp Hội đồng
)

// nextNumber takes the next number of a unit's register for a year. The counter
// row is locked by the upsert, so concurrent documents of one unit queue and the
// numbers stay unique and gapless (a rolled-back transaction returns its number).
func nextNumber(ctx context.Context, tx pgx.Tx, r register, unitID string, year int) (int, error) {
	switch r {
	case decisionRegister, letterRegister, returnRegister, minutesRegister:
	default:
		return 0, fmt.Errorf("unknown register %q", r)
	}
	var number int
	err := tx.QueryRow(ctx, `INSERT INTO `+string(r)+` (unit_id, year, last_number) VALUES ($1, $2, 1)
		ON CONFLICT (unit_id, year) DO UPDATE SET last_number = `+string(r)+`.last_number + 1
		RETURNING last_number`, unitID, year).Scan(&number)
	return number, err
}

// issueReturnLetter numbers the letter that returns a dossier with its list of
// missing items, in the returning unit's register: "4/UBND-TĐKT" (the People's
// Committee, drafted by its standing body for emulation and commendation).
func issueReturnLetter(ctx context.Context, tx pgx.Tx, t domain.Transition) (string, error) {
	signedOn := t.At.In(calendar.Zone)
	year := signedOn.Year()
	number, err := nextNumber(ctx, tx, returnRegister, t.UnitID, year)
	if err != nil {
		return "", err
	}
	code := fmt.Sprintf("%d/%s-TĐKT", number, issuerSuffix(t.UnitID))
	_, err = tx.Exec(ctx, `INSERT INTO return_letters (nomination_id, seq, unit_id, year, number, code, signed_by, signed_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.NominationID, t.Seq, t.UnitID, year, number, code, t.ActorID,
		signedOn.Format(time.DateOnly))
	return code, err
}

// numberMinutes numbers the minutes of a closing council vote in the council
// unit's register ("2/BB-HĐTĐKT") and keeps who was an eligible member then.
func numberMinutes(ctx context.Context, tx pgx.Tx, t domain.Transition, unitID string, eligible []int64, details map[string]any) error {
	year := t.At.In(calendar.Zone).Year()
	number, err := nextNumber(ctx, tx, minutesRegister, unitID, year)
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%d/BB-HĐTĐKT", number)
	if eligible == nil {
		eligible = []int64{}
	}
	members, _ := json.Marshal(eligible)
	if _, err := tx.Exec(ctx, `UPDATE council_sessions SET minutes_number = $3, minutes_code = $4,
		minutes = minutes || jsonb_build_object('member_ids', $5::jsonb)
		WHERE nomination_id = $1 AND session = $2`, t.NominationID, t.CouncilSession, number, code, members); err != nil {
		return err
	}
	details["minutes_code"] = code
	return nil
}
