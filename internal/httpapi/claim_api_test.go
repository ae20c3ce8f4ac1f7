package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestAClaimedTaskIsActedOnByItsAssigneeOnly: of two appraisers of the province, one
// claims the intake task; the other is refused with the assignee named and nothing
// changes; the assignee accepts.
func TestAClaimedTaskIsActedOnByItsAssigneeOnly(t *testing.T) {
	b := setup(t)
	b.addUser("tinh.appraiser2", "Hoàng Thị Nga", "appraiser", seed.Province)
	b.reloadAuthz()
	id := b.deptDossier("Hoàng Văn Tùng")
	task := b.taskFor("tinh.appraiser", id)
	b.must(http.StatusOK, "tinh.appraiser", "POST", fmt.Sprintf("/api/v1/tasks/%v/claim", jsonNumber(task["id"])), nil)
	r := b.must(http.StatusConflict, "tinh.appraiser2", "POST", "/api/v1/nominations/"+id+"/actions", map[string]any{"action": "accept"})
	if !strings.Contains(problemDetail(r), b.fullName("tinh.appraiser")) {
		t.Fatalf("the refusal does not name the assignee: %s", r.raw)
	}
	if b.status(id) != "intake" {
		t.Fatalf("a refused action changed the dossier: %s", b.status(id))
	}
	if n := b.actOn(http.StatusOK, "tinh.appraiser", id, map[string]any{"action": "accept"}); n["status"] != "appraising" {
		t.Fatalf("the assignee's accept: %v", n["status"])
	}
}
