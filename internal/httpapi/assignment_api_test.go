package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	inboxpkg "github.com/tdkt/tdkt/internal/inbox"

	"github.com/tdkt/tdkt/internal/app"
	"github.com/tdkt/tdkt/internal/calendar"
	"github.com/tdkt/tdkt/internal/seed"
	"github.com/tdkt/tdkt/internal/usecase"
)

func assigneeOf(r response) int64 {
	id, _ := r.body["assignee_id"].(float64)
	return int64(id)
}

func TestTasksAreClaimedReassignedByTheHeadAndReleased(t *testing.T) {
	b := setup(t)
	ctx := context.Background()
	due := time.Now().Add(72 * time.Hour)
	nomination, task := plantTask(b, "Hồ sơ chờ Hội đồng tỉnh", plantedTask{unit: seed.Province, role: "council_member", step: "vote", due: &due})
	path := "/api/v1/tasks/" + strconv.FormatInt(task, 10)
	member, member2, member3 := meID(b, "tinh.council_member"), meID(b, "tinh.council_member2"), meID(b, "tinh.council_member3")

	// A member of the council claims it; everyone else holding the role sees who has it.
	r := b.must(http.StatusOK, "tinh.council_member", "POST", path+"/claim", nil)
	if assigneeOf(r) != member || r.body["assignee_name"] != "Trần Văn Long" || r.body["nomination_id"] != nomination {
		t.Fatalf("claim answer: %s", r.raw)
	}
	b.must(http.StatusOK, "tinh.council_member", "POST", path+"/claim", nil) // claiming again changes nothing
	svc := app.New(b.pool, &usecase.Base{})
	inbox, err := svc.InboxWithAssignees(ctx, member2)
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 1 || inbox[0].ID != task || inbox[0].AssigneeID != member || inbox[0].AssigneeName != "Trần Văn Long" {
		t.Fatalf("another member's inbox does not show who has the task: %+v", inbox)
	}
	b.must(http.StatusConflict, "tinh.council_member2", "POST", path+"/claim", nil)
	b.must(http.StatusConflict, "tinh.council_member2", "DELETE", path+"/claim", nil)
	b.must(http.StatusForbidden, "xa.clerk", "POST", path+"/claim", nil)
	b.must(http.StatusForbidden, "huyen.council_member", "POST", path+"/claim", nil) // the role, but in another unit

	// The head reassigns it to another member, who is notified.
	r = b.must(http.StatusOK, "tinh.decider", "POST", path+"/assign", map[string]any{"user_id": member2})
	if assigneeOf(r) != member2 {
		t.Fatalf("after assign the assignee is %d, want %d", assigneeOf(r), member2)
	}
	ns := b.must(http.StatusOK, "tinh.council_member2", "GET", "/api/v1/notifications", nil).body["notifications"].([]any)
	if len(ns) == 0 || ns[0].(map[string]any)["kind"] != "assignment" || ns[0].(map[string]any)["link"] != "/dossiers/"+nomination {
		t.Errorf("the new assignee was not notified: %v", ns)
	}
	// Only a user holding the role can be given the task, and only the head gives it.
	bad := b.must(http.StatusBadRequest, "tinh.decider", "POST", path+"/assign", map[string]any{"user_id": meID(b, "xa.clerk")})
	if !fieldsOf(bad)["user_id"] {
		t.Errorf("assigning to a clerk: %s", bad.raw)
	}
	b.must(http.StatusBadRequest, "tinh.decider", "POST", path+"/assign", map[string]any{"user_id": 0})
	b.must(http.StatusBadRequest, "tinh.decider", "POST", path+"/assign", map[string]any{"user_id": member, "note": "x"})
	b.must(http.StatusForbidden, "tinh.council_member", "POST", path+"/assign", map[string]any{"user_id": member})
	b.must(http.StatusForbidden, "huyen.decider", "POST", path+"/assign", map[string]any{"user_id": member})

	// The assignee releases it; the unit head (unit_head too) assigns and releases any claim.
	r = b.must(http.StatusOK, "tinh.council_member2", "DELETE", path+"/claim", nil)
	if assigneeOf(r) != 0 {
		t.Fatalf("after release the task is still with %d", assigneeOf(r))
	}
	b.must(http.StatusOK, "tinh.head", "POST", path+"/assign", map[string]any{"user_id": member3})
	r = b.must(http.StatusOK, "tinh.head", "DELETE", path+"/claim", nil)
	if assigneeOf(r) != 0 {
		t.Fatalf("the head could not release the claim: %s", r.raw)
	}
	b.must(http.StatusForbidden, "xa.clerk", "DELETE", path+"/claim", nil)

	// Closed or unknown tasks are not found.
	b.must(http.StatusNotFound, "tinh.council_member", "POST", "/api/v1/tasks/999999/claim", nil)
	b.must(http.StatusNotFound, "tinh.council_member", "POST", "/api/v1/tasks/abc/claim", nil)
	_, closed := plantTask(b, "Hồ sơ đã biểu quyết", plantedTask{unit: seed.Province, role: "council_member", step: "vote", status: "done"})
	b.must(http.StatusNotFound, "tinh.council_member", "POST", "/api/v1/tasks/"+strconv.FormatInt(closed, 10)+"/claim", nil)

	// Acting under a delegation: the receiver sees the giver's tasks and may claim them.
	clerk := meID(b, "tinh.clerk")
	today := calendar.DateOf(time.Now().In(calendar.Zone))
	b.must(http.StatusCreated, "tinh.council_member5", "POST", "/api/v1/delegations", map[string]any{
		"to_user_id": clerk, "valid_from": today.String(), "valid_to": today.AddDays(3).String(), "reason": "Nghỉ phép năm"})
	inbox, err = svc.InboxWithAssignees(ctx, clerk)
	if err != nil {
		t.Fatal(err)
	}
	var acting *inboxpkg.InboxEntry
	for i := range inbox {
		if inbox[i].ID == task {
			acting = &inbox[i]
		}
	}
	if acting == nil || !acting.Acting {
		t.Fatalf("the delegate's inbox lacks the giver's task marked acting: %+v", inbox)
	}
	r = b.must(http.StatusOK, "tinh.clerk", "POST", path+"/claim", nil)
	if assigneeOf(r) != clerk {
		t.Errorf("the delegate could not claim the giver's task: %s", r.raw)
	}
}
