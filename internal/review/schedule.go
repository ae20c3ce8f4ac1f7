package review

import (
	"fmt"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

// Workflow ids: one workflow per movement, per campaign and per unit of a campaign.

// MovementWorkflowID is the workflow id of a movement.
func MovementWorkflowID(movementID string) string { return "movement-" + movementID }

// CampaignWorkflowID is the workflow id of a campaign: the requesting unit's node.
func CampaignWorkflowID(campaignID string) string { return "review-" + campaignID }

// UnitWorkflowID is the workflow id of one unit's report in a campaign.
func UnitWorkflowID(campaignID, unitID string) string { return "review-" + campaignID + "-" + unitID }

// ScheduleID is the Temporal schedule id of a movement's recurring review of a kind.
func ScheduleID(movementID string, kind CampaignKind) string {
	return "review-schedule-" + movementID + "-" + string(kind)
}

// ScheduledCampaign is what a recurring review schedule passes to each run: the
// campaign to open for the movement when it fires.
type ScheduledCampaign struct {
	ScheduleID string       `json:"schedule_id"`
	MovementID string       `json:"movement_id"`
	Kind       CampaignKind `json:"kind"`
	// DeadlineWorkingDays after the run, the units at depth 1 report.
	DeadlineWorkingDays int `json:"deadline_working_days"`
	GapWorkingDays      int `json:"gap_working_days"`
	ReminderWorkingDays int `json:"reminder_working_days"`
	// MaxDepth limits how many levels report; 0 is all.
	MaxDepth  int   `json:"max_depth,omitempty"`
	CreatedBy int64 `json:"created_by,omitempty"`
}

// OpenedCampaign is what opening a scheduled campaign produced. Skipped explains a run
// that opened nothing (the movement is outside its period).
type OpenedCampaign struct {
	CampaignID string `json:"campaign_id,omitempty"`
	UnitID     string `json:"unit_id,omitempty"`
	Existing   bool   `json:"existing,omitempty"` // a retried run found the campaign it had opened
	Skipped    string `json:"skipped,omitempty"`
}

// PeriodLabel names the period a campaign of the kind opened on day at reviews, for a
// movement running from start to end: "năm 2026", "giữa kỳ 2016 - 2020",
// "giai đoạn 2016 - 2020".
func PeriodLabel(kind CampaignKind, at, start, end time.Time) string {
	switch kind {
	case KindAnnual:
		return fmt.Sprintf("năm %d", at.In(calendar.Zone).Year())
	case KindMidterm:
		return fmt.Sprintf("giữa kỳ %d - %d", start.Year(), end.Year())
	}
	return fmt.Sprintf("giai đoạn %d - %d", start.Year(), end.Year())
}

// CampaignTitle is the subject line of a campaign for a movement.
func CampaignTitle(kind CampaignKind, label, movementName string) string {
	verb := "Sơ kết"
	if kind == KindFinal {
		verb = "Tổng kết"
	}
	return fmt.Sprintf("%s %s phong trào thi đua “%s”", verb, label, movementName)
}
