package awards

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/eligibility"
	"github.com/tdkt/tdkt/internal/history"
	"github.com/tdkt/tdkt/internal/postgres"
)

// MaxSameNameDossiers is how many other dossiers NominationConflicts names for one
// nominee name (the newest); when there are more, each message says so.
const MaxSameNameDossiers = 5

// NominationConflicts flags the nominees of a dossier against the rest of the
// system: the same subject with the same award for the same year already recorded
// (already_awarded) or in another open dossier (in_flight); another commendation
// for the same year and kind (same_achievement: one achievement, one award); and,
// for a nominee without a subject, the same name proposed for the same award and
// year in another open dossier (possible_duplicate). Keyed by nominee id.
func (s *Store) NominationConflicts(ctx context.Context, n domain.Nomination) (map[int64][]history.Conflict, error) {
	const op = "awards.NominationConflicts"
	out := map[int64][]history.Conflict{}
	bySubject := map[int64][]int64{}
	var subjects []int64
	names := map[string][]int64{}
	var nameList []string
	for _, nm := range n.Nominees {
		if nm.SubjectID != nil {
			if _, seen := bySubject[*nm.SubjectID]; !seen {
				subjects = append(subjects, *nm.SubjectID)
			}
			bySubject[*nm.SubjectID] = append(bySubject[*nm.SubjectID], nm.ID)
		} else {
			k := strings.ToLower(nm.Name)
			if _, seen := names[k]; !seen {
				nameList = append(nameList, k)
			}
			names[k] = append(names[k], nm.ID)
		}
	}
	var category string
	if err := s.Pool.QueryRow(ctx, `SELECT category FROM awards WHERE code = $1`, n.AwardCode).Scan(&category); err != nil {
		return nil, postgres.Translate(op, err)
	}
	kind := n.Kind
	if kind == "" {
		kind = string(history.AwardMerit)
	}
	flag := func(nominees []int64, c history.Conflict) {
		for _, id := range nominees {
			out[id] = append(out[id], c)
		}
	}
	if len(subjects) > 0 {
		rows, err := s.Pool.Query(ctx, `SELECT ar.subject_id, ar.award_code, ar.decision_code, coalesce(ar.nomination_id::text, ''), a.category
			FROM award_records ar JOIN awards a ON a.code = ar.award_code
			WHERE ar.subject_id = ANY($1) AND ar.year = $2 AND ar.kind = $3
				AND (ar.nomination_id IS NULL OR ar.nomination_id <> $4::uuid)
			ORDER BY ar.subject_id, ar.award_code, ar.id`, subjects, n.Year, kind, n.ID)
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
		err = forEach(rows, func(r pgx.Rows) error {
			var subject int64
			var c history.Conflict
			var cat string
			if err := r.Scan(&subject, &c.AwardCode, &c.DecisionCode, &c.NominationID, &cat); err != nil {
				return err
			}
			c.Year = n.Year
			switch {
			case c.AwardCode == n.AwardCode:
				c.Kind = history.ConflictAlreadyAwarded
				c.Message = fmt.Sprintf("Đã được tặng %s năm %d (QĐ %s)", c.AwardCode, n.Year, orDash(c.DecisionCode))
			case cat == "commendation" && category == "commendation":
				c.Kind = history.ConflictSameAchievement
				c.Message = fmt.Sprintf("Đã được khen %s năm %d (QĐ %s): mỗi thành tích chỉ khen một lần", c.AwardCode, n.Year, orDash(c.DecisionCode))
			default:
				return nil
			}
			flag(bySubject[subject], c)
			return nil
		})
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
		rows, err = s.Pool.Query(ctx, `SELECT nm.subject_id, n.id::text, coalesce(nm.award_code, n.award_code), n.status, a.category
			FROM nominees nm JOIN nominations n ON n.id = nm.nomination_id
			JOIN awards a ON a.code = coalesce(nm.award_code, n.award_code)
			WHERE nm.subject_id = ANY($1) AND n.id <> $2::uuid AND n.year = $3 AND n.kind = $4
				AND n.status NOT IN ('decided', 'rejected', 'withdrawn') AND nm.status NOT IN ('rejected', 'withdrawn')
			ORDER BY nm.subject_id, n.created_at`, subjects, n.ID, n.Year, kind)
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
		err = forEach(rows, func(r pgx.Rows) error {
			var subject int64
			var c history.Conflict
			var status, cat string
			if err := r.Scan(&subject, &c.NominationID, &c.AwardCode, &status, &cat); err != nil {
				return err
			}
			c.Year = n.Year
			switch {
			case c.AwardCode == n.AwardCode:
				c.Kind = history.ConflictInFlight
				c.Message = fmt.Sprintf("Đang được đề nghị %s năm %d trong hồ sơ khác (%s)", c.AwardCode, n.Year, status)
			case cat == "commendation" && category == "commendation":
				c.Kind = history.ConflictSameAchievement
				c.Message = fmt.Sprintf("Đang được đề nghị %s năm %d trong hồ sơ khác: mỗi thành tích chỉ khen một lần", c.AwardCode, n.Year)
			default:
				return nil
			}
			flag(bySubject[subject], c)
			return nil
		})
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
	}
	if len(nameList) > 0 {
		// The newest few dossiers per name, and whether there are more: a common
		// name can stand in thousands of dossiers of a province's year, and the
		// appraiser needs a few to open, not every one of them (nor a count that
		// would make the database read them all).
		rows, err := s.Pool.Query(ctx, `SELECT q.name, d.id::text, d.status
			FROM unnest($4::text[]) AS q(name)
			CROSS JOIN LATERAL (
				SELECT n.id, n.status, n.created_at
				FROM nominees nm JOIN nominations n ON n.id = nm.nomination_id
				WHERE nm.name_key = q.name AND n.award_code = $1 AND n.year = $2 AND n.id <> $3::uuid
					AND n.status NOT IN ('rejected', 'withdrawn') AND nm.status NOT IN ('rejected', 'withdrawn')
				ORDER BY n.created_at DESC, n.id
				LIMIT $5) d
			ORDER BY q.name, d.created_at DESC, d.id`, n.AwardCode, n.Year, n.ID, nameList, MaxSameNameDossiers+1)
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
		type sameName struct{ id, status string }
		found := map[string][]sameName{}
		err = forEach(rows, func(r pgx.Rows) error {
			var name string
			var d sameName
			if err := r.Scan(&name, &d.id, &d.status); err != nil {
				return err
			}
			found[name] = append(found[name], d)
			return nil
		})
		if err != nil {
			return nil, postgres.Translate(op, err)
		}
		for _, name := range nameList {
			ds := found[name]
			more := len(ds) > MaxSameNameDossiers
			if more {
				ds = ds[:MaxSameNameDossiers]
			}
			for _, d := range ds {
				c := history.Conflict{Kind: history.ConflictPossibleDuplicate, AwardCode: n.AwardCode, Year: n.Year, NominationID: d.id}
				c.Message = fmt.Sprintf("Cùng tên được đề nghị %s năm %d trong hồ sơ khác (%s); gắn mã đối tượng để kiểm tra chắc chắn", n.AwardCode, n.Year, d.status)
				if more {
					c.Message = fmt.Sprintf("Cùng tên được đề nghị %s năm %d trong hơn %d hồ sơ khác (hồ sơ này: %s); gắn mã đối tượng để kiểm tra chắc chắn", n.AwardCode, n.Year, MaxSameNameDossiers, d.status)
				}
				flag(names[name], c)
			}
		}
	}
	return out, nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func forEach(rows pgx.Rows, fn func(pgx.Rows) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EligibilityOverride is an appraiser's decision on one criterion of one nominee.
type EligibilityOverride struct {
	NominationID string
	NomineeID    int64
	Criterion    string
	Met          bool
	Reason       string
	ActorID      int64
	At           time.Time
}

// AddEligibilityOverride records an override; KindInvalid when the nominee is not
// in the dossier.
func (s *Store) AddEligibilityOverride(ctx context.Context, o EligibilityOverride) error {
	tag, err := s.Pool.Exec(ctx, `INSERT INTO eligibility_overrides (nomination_id, nominee_id, criterion, met, reason, actor_id, at)
		SELECT $1::uuid, id, $3::text, $4::boolean, $5::text, $6::bigint, $7::timestamptz FROM nominees WHERE nomination_id = $1::uuid AND id = $2`,
		o.NominationID, o.NomineeID, o.Criterion, o.Met, o.Reason, o.ActorID, o.At)
	if err != nil {
		return postgres.Translate("awards.AddEligibilityOverride", err)
	}
	if tag.RowsAffected() == 0 {
		return domain.Invalid("no such nominee in this dossier", domain.FieldError{Field: "nominee_id", Message: "not a nominee of this dossier"})
	}
	return nil
}

// EligibilityOverrides returns the latest override of each criterion of each
// nominee of a dossier, with the appraiser's name.
func (s *Store) EligibilityOverrides(ctx context.Context, nominationID string) (map[int64]map[string]eligibility.Override, error) {
	rows, err := s.Pool.Query(ctx, `SELECT DISTINCT ON (o.nominee_id, o.criterion) o.nominee_id, o.criterion, o.met, o.reason,
			o.actor_id, u.full_name, o.at
		FROM eligibility_overrides o JOIN users u ON u.id = o.actor_id
		WHERE o.nomination_id = $1 ORDER BY o.nominee_id, o.criterion, o.at DESC, o.id DESC`, nominationID)
	if err != nil {
		return nil, postgres.Translate("awards.EligibilityOverrides", err)
	}
	out := map[int64]map[string]eligibility.Override{}
	err = forEach(rows, func(r pgx.Rows) error {
		var nominee int64
		var criterion string
		var o eligibility.Override
		if err := r.Scan(&nominee, &criterion, &o.Met, &o.Reason, &o.ActorID, &o.Actor, &o.At); err != nil {
			return err
		}
		if out[nominee] == nil {
			out[nominee] = map[string]eligibility.Override{}
		}
		out[nominee][criterion] = o
		return nil
	})
	return out, postgres.Translate("awards.EligibilityOverrides", err)
}
