package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/httpapi"
	"github.com/tdkt/tdkt/internal/seed"
)

// The authorization matrix. Every /api/v1 route of the engine is classified below;
// the test sends each route, as each of the nine roles held at a district (the
// actor's unit, LS-09), against an object in each relation to the actor's unit:
// the same unit, its parent (the province), an ancestor (the central level), a
// child (a commune), a sibling (another district) and a district of another
// province. The expectation table says, per route class and role, in which
// relations the request may succeed; everywhere else a 2xx answer is a failure
// (an unexpected success), and a 5xx is a failure everywhere. A route that is not
// in the table fails the test, listed by name, until it is classified.

const (
	relSame     = "same"
	relParent   = "parent"
	relAncestor = "ancestor"
	relChild    = "child"
	relSibling  = "sibling"
	relOther    = "other-province"
	// relNone is the one "relation" of a route whose object is the actor's own
	// (profile, tokens, inbox) or reference data everyone reads.
	relNone = "-"
)

var matrixRelations = []string{relSame, relParent, relAncestor, relChild, relSibling, relOther}

// relationUnit is the object's unit in each relation to the actor's unit LS-09.
var relationUnit = map[string]string{
	relSame: seed.DemoDistrict, relParent: seed.Province, relAncestor: seed.Central,
	relChild: seed.DemoCommune, relSibling: seed.OtherDistrict, relOther: "CB-01",
}

var matrixRoles = []string{"clerk", "unit_head", "appraiser", "council_member", "council_secretary", "council_chair",
	"decider", "admin", "auditor"}

// allow maps a role to the relations in which a request of the class may succeed.
type allow map[string][]string

var (
	here  = []string{relSame}
	below = []string{relSame, relChild} // the role's subtree
	// aboveAndBelow: a movement launched above the unit applies to it, so it is
	// readable from below as well as in the subtree.
	aboveAndBelow = []string{relSame, relChild, relParent, relAncestor}
	noRelation    = []string{relNone}
	allRoles      = matrixRoles
	everySubtree  = grant(below, allRoles...)
)

func grant(rels []string, roles ...string) allow {
	a := allow{}
	for _, r := range roles {
		a[r] = append(a[r], rels...)
	}
	return a
}

func (a allow) and(b allow) allow {
	out := allow{}
	for _, m := range []allow{a, b} {
		for r, rels := range m {
			out[r] = append(out[r], rels...)
		}
	}
	return out
}

func (a allow) permits(role, rel string) bool {
	for _, r := range a[role] {
		if r == rel {
			return true
		}
	}
	return false
}

// Expectation classes, one per kind of permission check.
var (
	nobody = allow{}
	// Reading a dossier: the roles that read their subtree, the clerk and the unit head their unit.
	dossierRead = grant(below, "appraiser", "council_member", "council_secretary", "council_chair", "decider", "admin", "auditor").
			and(grant(here, "clerk", "unit_head"))
	dossierEdit      = grant(here, "clerk")
	dossierSubmit    = grant(here, "clerk", "unit_head") // submit, withdraw
	dossierAppraise  = grant(here, "appraiser")
	dossierVote      = grant(here, "council_member", "council_chair")
	dossierRecord    = grant(here, "council_secretary", "council_chair")
	dossierDecide    = grant(here, "decider")                 // decide, forward, revoke
	routeAppraiser   = grant([]string{relChild}, "appraiser") // an appraiser of a level on the dossier's route (a commune's dossier passes the district)
	taskClaim        = grant(here, "clerk")                   // the task's role (the submit task is the clerk's)
	taskRelease      = grant(here, "clerk", "unit_head", "decider")
	taskAssign       = grant(here, "unit_head", "decider")
	userManage       = grant(below, "admin")
	unitManage       = grant(below, "admin")
	unitEnd          = grant([]string{relChild}, "admin") // "unit manage" on the unit's parent
	historyRecord    = grant(here, "clerk").and(grant(below, "admin"))
	movementRead     = grant(aboveAndBelow, allRoles...)
	movementLaunch   = grant(here, "appraiser", "decider")
	movementRegister = grant(here, "clerk", "unit_head")
	movementManage   = grant(here, "appraiser")
	anyone           = grant(noRelation, allRoles...)
	anyAdmin         = grant(noRelation, "admin")
)

// fixture holds the objects of one relation.
type fixture struct {
	rel, unit                     string
	dossier, task, document       string
	subject, movement, delegation string
	clerk                         string // the username of the unit's clerk
	// spare is the id of a user of the unit whom the admin routes may change
	// (deactivate) without touching the accounts the other routes use.
	spare string
}

// matrixRequest is one request of the matrix.
type matrixRequest struct {
	path        string
	body        any
	raw         []byte // a raw body (uploads)
	contentType string
}

// matrixRoute is a classified route: its class and how to build its request for
// a relation's fixture (for relNone routes, the fixture is empty).
type matrixRoute struct {
	allow allow
	build func(f fixture) matrixRequest
	// freshLogin sends the request with a session of its own (logout ends it).
	freshLogin bool
}

const unknownUUID = "00000000-0000-4000-8000-000000000000"

var minimalPDF = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")

func p(path string) func(fixture) matrixRequest {
	return func(fixture) matrixRequest { return matrixRequest{path: path} }
}

func pb(path string, body any) func(fixture) matrixRequest {
	return func(fixture) matrixRequest { return matrixRequest{path: path, body: body} }
}

// dossier builds a request on the relation's dossier; version 999 makes every
// action that passes authorization stop at the workflow's version check, so the
// matrix never moves a dossier.
func dossier(suffix string, body any) func(fixture) matrixRequest {
	return func(f fixture) matrixRequest {
		return matrixRequest{path: "/api/v1/nominations/" + f.dossier + suffix, body: body}
	}
}

func action(name string, extra map[string]any) func(fixture) matrixRequest {
	body := map[string]any{"action": name, "version": 999}
	for k, v := range extra {
		body[k] = v
	}
	return dossier("/actions", body)
}

// matrixRoutes is the expectation table, keyed by "METHOD path" as Gin lists it.
// A key with "#" distinguishes several requests on one route (the actions).
func matrixRoutes() map[string]matrixRoute {
	longTitle := strings.Repeat("x", 600)
	return map[string]matrixRoute{
		"POST /api/v1/logout":                     {allow: anyone, build: p("/api/v1/logout"), freshLogin: true},
		"POST /api/v1/me/logout-everywhere":       {allow: anyone, build: p("/api/v1/me/logout-everywhere"), freshLogin: true},
		"GET /api/v1/me":                          {allow: anyone, build: p("/api/v1/me")},
		"PUT /api/v1/me/email":                    {allow: anyone, build: pb("/api/v1/me/email", map[string]any{"email": "can.bo@langson.gov.vn"})},
		"GET /api/v1/me/tokens":                   {allow: anyone, build: p("/api/v1/me/tokens")},
		"POST /api/v1/me/tokens":                  {allow: anyone, build: pb("/api/v1/me/tokens", map[string]any{"name": "ma trận", "expires_in": 600})},
		"DELETE /api/v1/me/tokens/:id":            {allow: nobody, build: p("/api/v1/me/tokens/999999")},
		"GET /api/v1/units":                       {allow: anyone, build: p("/api/v1/units")},
		"GET /api/v1/awards":                      {allow: anyone, build: p("/api/v1/awards")},
		"GET /api/v1/inbox":                       {allow: anyone, build: p("/api/v1/inbox")},
		"GET /api/v1/notifications":               {allow: anyone, build: p("/api/v1/notifications")},
		"POST /api/v1/notifications/read":         {allow: anyone, build: pb("/api/v1/notifications/read", map[string]any{"all": true})},
		"GET /api/v1/nominations":                 {allow: anyone, build: p("/api/v1/nominations")}, // filtered: see the list check
		"GET /api/v1/authority-rules":             {allow: anyone, build: p("/api/v1/authority-rules")},
		"GET /api/v1/calendar/:year":              {allow: anyone, build: p("/api/v1/calendar/2025")},
		"GET /api/v1/calendar/:year/working-days": {allow: anyone, build: p("/api/v1/calendar/2025/working-days?from=2025-06-16&n=5")},
		"GET /api/v1/eligibility/rules":           {allow: anyone, build: p("/api/v1/eligibility/rules")},
		"GET /api/v1/nominees/template":           {allow: anyone, build: p("/api/v1/nominees/template")},
		"GET /api/v1/history/template":            {allow: anyone, build: p("/api/v1/history/template")},
		"GET /api/v1/review-templates":            {allow: anyone, build: p("/api/v1/review-templates")},
		"GET /api/v1/review-templates/:code":      {allow: anyone, build: p("/api/v1/review-templates/general")},
		"GET /api/v1/delegations":                 {allow: anyone, build: p("/api/v1/delegations")},
		"GET /api/v1/movements":                   {allow: anyone, build: p("/api/v1/movements")},
		"GET /api/v1/reviews":                     {allow: anyone, build: p("/api/v1/reviews")},
		"GET /api/v1/subjects":                    {allow: anyone, build: p("/api/v1/subjects")}, // filtered: see the list check
		// A delegation with a missing reason: validation runs before anything is stored.
		"POST /api/v1/delegations": {allow: nobody, build: pb("/api/v1/delegations", map[string]any{"to_user_id": 1, "valid_from": "2025-06-16", "valid_to": "2025-06-17"})},
		// Eligibility of an unknown subject.
		"GET /api/v1/eligibility":  {allow: nobody, build: p("/api/v1/eligibility?subject_id=999999&award_code=GK&year=2025")},
		"POST /api/v1/eligibility": {allow: nobody, build: pb("/api/v1/eligibility", map[string]any{"subject_id": 999999, "award_code": "GK", "year": 2025})},
		// The template editor: any administrator (the templates are national).
		"PUT /api/v1/review-templates/:code": {allow: anyAdmin, build: pb("/api/v1/review-templates/general", map[string]any{"code": "general"})},

		// National reference data: only an administrator of the central level. The
		// object is the central level, an ancestor of every actor here.
		"GET /api/v1/admin/time-limits":                 {allow: nobody, build: p("/api/v1/admin/time-limits")},
		"PUT /api/v1/admin/time-limits":                 {allow: nobody, build: pb("/api/v1/admin/time-limits", map[string]any{"time_limits": []any{}})},
		"GET /api/v1/admin/base-salaries":               {allow: nobody, build: p("/api/v1/admin/base-salaries")},
		"PUT /api/v1/admin/base-salaries":               {allow: nobody, build: pb("/api/v1/admin/base-salaries", map[string]any{"base_salaries": []any{}})},
		"PUT /api/v1/calendar/:year/overrides":          {allow: nobody, build: pb("/api/v1/calendar/2025/overrides", map[string]any{"overrides": []any{}})},
		"DELETE /api/v1/calendar/:year/overrides/:date": {allow: nobody, build: p("/api/v1/calendar/2025/overrides/2025-09-02")},
		"POST /api/v1/authority-rules":                  {allow: nobody, build: pb("/api/v1/authority-rules", map[string]any{"award_code": "GK"})},
		"PUT /api/v1/authority-rules/:id":               {allow: nobody, build: pb("/api/v1/authority-rules/1", map[string]any{"award_code": "GK"})},
		"DELETE /api/v1/authority-rules/:id":            {allow: nobody, build: p("/api/v1/authority-rules/1")},

		// Objects named in the body or the query (API1): the unit there is the object.
		"POST /api/v1/nominations": {allow: grant(here, "clerk"), build: func(f fixture) matrixRequest {
			// THON_VH is for villages: refused after the permission check, so nothing is created.
			return matrixRequest{path: "/api/v1/nominations", body: map[string]any{"unit_id": f.unit, "award_code": "THON_VH", "year": 2025,
				"nominees": []map[string]any{{"kind": "individual", "name": "Ma Trận"}}}}
		}},
		"GET /api/v1/statistics/:form": {allow: dossierRead, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/statistics/0603?year=2025&unit=" + f.unit}
		}},
		"GET /api/v1/deadlines": {allow: dossierRead, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/deadlines?unit=" + f.unit} }},
		"POST /api/v1/subjects": {allow: historyRecord, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/subjects", body: map[string]any{"unit_id": f.unit, "code": "MX-" + f.rel, "kind": "individual", "name": "Ma Trận"}}
		}},
		"POST /api/v1/history": {allow: historyRecord, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/history", body: map[string]any{"unit_id": f.unit}}
		}},
		"POST /api/v1/history/import": {allow: historyRecord, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/history/import?format=csv&unit=" + f.unit, raw: []byte("not a sheet"), contentType: "text/csv"}
		}},
		"GET /api/v1/history/export": {allow: everySubtree, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/history/export?format=csv&unit=" + f.unit}
		}},
		"POST /api/v1/movements": {allow: movementLaunch, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements", body: map[string]any{"unit_id": f.unit, "name": "Phong trào ma trận " + f.rel,
				"period_start": "2025-01-01", "period_end": "2025-12-31"}}
		}},
		"POST /api/v1/reviews": {allow: grant(here, "appraiser", "decider"), build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/reviews", body: map[string]any{"movement_id": f.movement, "unit_id": f.unit, "kind": "annual",
				"title": "Sơ kết ma trận", "final_deadline": "2025-12-15"}}
		}},

		// The relation's dossier.
		"GET /api/v1/nominations/:id":                 {allow: dossierRead, build: dossier("", nil)},
		"GET /api/v1/nominations/:id/history":         {allow: dossierRead, build: dossier("/history", nil)},
		"GET /api/v1/nominations/:id/council":         {allow: dossierRead, build: dossier("/council", nil)},
		"GET /api/v1/nominations/:id/consultation":    {allow: dossierRead, build: dossier("/consultation", nil)},
		"GET /api/v1/nominations/:id/documents":       {allow: dossierRead, build: dossier("/documents", nil)},
		"GET /api/v1/nominations/:id/checklist":       {allow: dossierRead, build: dossier("/checklist", nil)},
		"GET /api/v1/nominations/:id/eligibility":     {allow: dossierRead, build: dossier("/eligibility", nil)},
		"GET /api/v1/nominations/:id/nominees/export": {allow: dossierRead, build: dossier("/nominees/export?format=csv", nil)},
		"PATCH /api/v1/nominations/:id":               {allow: dossierEdit, build: dossier("", map[string]any{"title": longTitle})},
		"POST /api/v1/nominations/:id/nominees/import": {allow: dossierEdit, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/nominations/" + f.dossier + "/nominees/import?format=csv", raw: []byte("x"), contentType: "text/csv"}
		}},
		// The clerk while the dossier is a draft, or the standing body of the level
		// holding it — a draft is held by its own unit.
		"POST /api/v1/nominations/:id/documents": {allow: dossierEdit.and(dossierAppraise), build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/nominations/" + f.dossier + "/documents?kind=to_trinh&name=x.pdf", raw: minimalPDF, contentType: "application/pdf"}
		}},
		"POST /api/v1/nominations/:id/submit":           {allow: dossierSubmit, build: dossier("/submit", map[string]any{"version": 999})},
		"POST /api/v1/nominations/:id/actions#withdraw": {allow: dossierSubmit, build: action("withdraw", nil)},
		"POST /api/v1/nominations/:id/actions#accept":   {allow: dossierAppraise, build: action("accept", nil)},
		"POST /api/v1/nominations/:id/actions#approve":  {allow: dossierAppraise, build: action("approve", nil)},
		"POST /api/v1/nominations/:id/actions#return":   {allow: dossierAppraise, build: action("return", map[string]any{"missing_items": []string{"Tờ trình"}})},
		"POST /api/v1/nominations/:id/actions#reject":   {allow: dossierAppraise, build: action("reject", map[string]any{"reason": "Không đủ tiêu chuẩn"})},
		"POST /api/v1/nominations/:id/actions#hold":     {allow: dossierAppraise, build: action("hold", map[string]any{"nominee_id": 1, "reason": "Đang thanh tra"})},
		"POST /api/v1/nominations/:id/actions#concur": {allow: dossierAppraise, build: func(f fixture) matrixRequest {
			return action("concur", map[string]any{"answer": "agree", "unit_id": f.unit})(f)
		}},
		"POST /api/v1/nominations/:id/actions#comment":      {allow: dossierRead, build: action("comment", map[string]any{"note": "Ý kiến"})},
		"POST /api/v1/nominations/:id/actions#close_vote":   {allow: dossierRecord, build: action("close_vote", nil)},
		"POST /api/v1/nominations/:id/actions#forward":      {allow: dossierDecide, build: action("forward", nil)},
		"POST /api/v1/nominations/:id/actions#decide":       {allow: dossierDecide, build: action("decide", nil)},
		"POST /api/v1/nominations/:id/votes":                {allow: dossierVote, build: dossier("/votes", map[string]any{"choice": "yes"})},
		"POST /api/v1/nominations/:id/conflicts":            {allow: dossierVote, build: dossier("/conflicts", map[string]any{"reason": "Người thân"})},
		"POST /api/v1/nominations/:id/revocations":          {allow: dossierDecide, build: dossier("/revocations", map[string]any{"decision_code": "1/QĐ-UBND", "ground": "criteria_not_met"})},
		"POST /api/v1/nominations/:id/eligibility/override": {allow: routeAppraiser, build: dossier("/eligibility/override", map[string]any{"nominee_id": 999999, "criterion": "x", "met": true, "reason": "x"})},
		"GET /api/v1/documents/:id":                         {allow: dossierRead, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/documents/" + f.document} }},

		// The relation's dossier's open submit task (the clerk's).
		"POST /api/v1/tasks/:id/actions": {allow: dossierSubmit, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/tasks/" + f.task + "/actions", body: map[string]any{"action": "submit", "version": 999}}
		}},
		"POST /api/v1/tasks/:id/claim":   {allow: taskClaim, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/tasks/" + f.task + "/claim"} }},
		"DELETE /api/v1/tasks/:id/claim": {allow: taskRelease, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/tasks/" + f.task + "/claim"} }},
		"POST /api/v1/tasks/:id/assign": {allow: taskAssign, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/tasks/" + f.task + "/assign", body: map[string]any{"user_id": 1}}
		}},

		// The administration of units, users and roles: every request that passes
		// the permission check stops at validation, except deactivate and activate,
		// which change only the relation's spare user.
		"GET /api/v1/admin/units":  {allow: anyAdmin, build: p("/api/v1/admin/units")},
		"GET /api/v1/admin/levels": {allow: anyAdmin, build: p("/api/v1/admin/levels")},
		"GET /api/v1/admin/roles":  {allow: anyAdmin, build: p("/api/v1/admin/roles")},
		"GET /api/v1/admin/users":  {allow: anyAdmin, build: p("/api/v1/admin/users")},
		"POST /api/v1/admin/units": {allow: unitManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/units", body: map[string]any{"parent_id": f.unit, "id": "not a code!",
				"name": "Đơn vị ma trận", "level": "commune", "kind": "people_committee"}}
		}},
		"PATCH /api/v1/admin/units/:id": {allow: unitManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/units/" + f.unit, body: map[string]any{"name": ""}}
		}},
		"POST /api/v1/admin/units/:id/end": {allow: unitEnd, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/units/" + f.unit + "/end", body: map[string]any{"valid_to": "not a date"}}
		}},
		// Reorganisations (reorg.go): each request that passes the check stops at the
		// store (a taken code, a unit still in force).
		"GET /api/v1/units/:id/successions": {allow: everySubtree, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/units/" + f.unit + "/successions"}
		}},
		"POST /api/v1/admin/units/import": {allow: unitManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/units/import", contentType: "text/csv",
				raw: []byte("code,name,kind,parent,valid_from,predecessors\nLS,Ma trận,xa," + f.unit + ",2025-07-01,\n")}
		}},
		"GET /api/v1/admin/ended-units": {allow: anyone, build: p("/api/v1/admin/ended-units")},
		"POST /api/v1/admin/units/:id/move-users": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/units/" + f.unit + "/move-users", body: map[string]any{"to": f.unit}}
		}},
		"POST /api/v1/admin/units/:id/revoke-roles": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/units/" + f.unit + "/revoke-roles"}
		}},
		"POST /api/v1/admin/users": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users", body: map[string]any{"unit_id": f.unit, "username": "", "full_name": "Ma Trận",
				"password": "mat-khau-ma-tran"}}
		}},
		"GET /api/v1/admin/users/:id": {allow: userManage, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/admin/users/" + f.spare} }},
		"PATCH /api/v1/admin/users/:id": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare, body: map[string]any{"full_name": ""}}
		}},
		"POST /api/v1/admin/users/:id/deactivate": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/deactivate"}
		}},
		"POST /api/v1/admin/users/:id/activate": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/activate"}
		}},
		"POST /api/v1/admin/users/:id/password": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/password", body: map[string]any{"password": "short"}}
		}},
		"POST /api/v1/admin/users/:id/roles": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/roles", body: map[string]any{"role": "no_such_role", "unit_id": f.unit}}
		}},
		"PUT /api/v1/admin/users/:id/subject": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/subject", body: map[string]any{"subject_id": 999999999}}
		}},
		"GET /api/v1/admin/users/:id/signer-title": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/signer-title"}
		}},
		"PUT /api/v1/admin/users/:id/signer-title": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/signer-title", body: map[string]any{"title": "emperor"}}
		}},
		"DELETE /api/v1/admin/users/:id/roles": {allow: userManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/admin/users/" + f.spare + "/roles?role=clerk&unit_id=" + f.unit}
		}},

		// Other objects of the relation's unit.
		"DELETE /api/v1/admin/lockouts/:username": {allow: userManage, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/admin/lockouts/" + f.clerk} }},
		"GET /api/v1/subjects/:id":                {allow: everySubtree, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/subjects/" + f.subject} }},
		"DELETE /api/v1/delegations/:id":          {allow: nobody, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/delegations/" + f.delegation} }},
		"GET /api/v1/movements/:id":               {allow: movementRead, build: func(f fixture) matrixRequest { return matrixRequest{path: "/api/v1/movements/" + f.movement} }},
		"GET /api/v1/movements/:id/registrations": {allow: movementRead, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/registrations"}
		}},
		"POST /api/v1/movements/:id/registrations": {allow: movementRegister, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/registrations", body: map[string]any{"unit_id": f.unit, "commitments": "Cam kết"}}
		}},
		"GET /api/v1/movements/:id/schedules": {allow: movementRead, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules"}
		}},
		"POST /api/v1/movements/:id/schedules": {allow: movementManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules", body: map[string]any{"kind": "bogus"}}
		}},
		"GET /api/v1/movements/:id/schedules/:kind": {allow: movementManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules/annual"}
		}},
		"PATCH /api/v1/movements/:id/schedules/:kind": {allow: movementManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules/annual", body: map[string]any{}}
		}},
		"POST /api/v1/movements/:id/schedules/:kind/pause": {allow: movementManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules/annual/pause", body: map[string]any{}}
		}},
		"POST /api/v1/movements/:id/schedules/:kind/unpause": {allow: movementManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules/annual/unpause", body: map[string]any{}}
		}},
		"POST /api/v1/movements/:id/schedules/:kind/trigger": {allow: movementManage, build: func(f fixture) matrixRequest {
			return matrixRequest{path: "/api/v1/movements/" + f.movement + "/schedules/annual/trigger"}
		}},

		// Review campaigns and history entries have no fixture here (a campaign at the
		// province spans 240 units): they are sent with an unknown id, which nobody
		// may act on. Their unit-level checks are in the reviews and history tests.
		"DELETE /api/v1/history/:section/:id":            {allow: nobody, build: p("/api/v1/history/ratings/999999")},
		"GET /api/v1/reviews/:id":                        {allow: nobody, build: p("/api/v1/reviews/" + unknownUUID)},
		"GET /api/v1/reviews/:id/dashboard":              {allow: nobody, build: p("/api/v1/reviews/" + unknownUUID + "/dashboard")},
		"PUT /api/v1/reviews/:id/deadlines":              {allow: nobody, build: pb("/api/v1/reviews/"+unknownUUID+"/deadlines", map[string]any{})},
		"POST /api/v1/reviews/:id/close":                 {allow: nobody, build: pb("/api/v1/reviews/"+unknownUUID+"/close", map[string]any{})},
		"GET /api/v1/reviews/:id/reports/:unit":          {allow: nobody, build: p("/api/v1/reviews/" + unknownUUID + "/reports/LS-09")},
		"POST /api/v1/reviews/:id/reports/:unit/actions": {allow: nobody, build: pb("/api/v1/reviews/"+unknownUUID+"/reports/LS-09/actions", map[string]any{"action": "submit"})},
		"GET /api/v1/reviews/:id/reports/:unit/history":  {allow: nobody, build: p("/api/v1/reviews/" + unknownUUID + "/reports/LS-09/history")},
		"GET /api/v1/reviews/:id/reports/:unit/export":   {allow: nobody, build: p("/api/v1/reviews/" + unknownUUID + "/reports/LS-09/export")},
	}
}

// relationFree reports whether a route's class has no object relation.
func relationFree(a allow) bool {
	for _, rels := range a {
		for _, r := range rels {
			if r == relNone {
				return true
			}
		}
	}
	return false
}

// relationFreeNobody lists the nobody-class routes whose object is not in a
// relation (unknown ids, reference data of the central level): sent once per role.
var relationFreeNobody = map[string]bool{
	"DELETE /api/v1/me/tokens/:id": true, "POST /api/v1/delegations": true, "GET /api/v1/eligibility": true,
	"POST /api/v1/eligibility": true, "GET /api/v1/admin/time-limits": true, "PUT /api/v1/admin/time-limits": true,
	"GET /api/v1/admin/base-salaries": true, "PUT /api/v1/admin/base-salaries": true,
	"PUT /api/v1/calendar/:year/overrides": true, "DELETE /api/v1/calendar/:year/overrides/:date": true,
	"POST /api/v1/authority-rules": true, "PUT /api/v1/authority-rules/:id": true, "DELETE /api/v1/authority-rules/:id": true,
	"DELETE /api/v1/history/:section/:id": true, "GET /api/v1/reviews/:id": true, "GET /api/v1/reviews/:id/dashboard": true,
	"PUT /api/v1/reviews/:id/deadlines": true, "POST /api/v1/reviews/:id/close": true, "GET /api/v1/reviews/:id/reports/:unit": true,
	"POST /api/v1/reviews/:id/reports/:unit/actions": true, "GET /api/v1/reviews/:id/reports/:unit/history": true,
	"GET /api/v1/reviews/:id/reports/:unit/export": true,
}

// engineRoutes lists the engine's /api/v1 routes as "METHOD path".
func engineRoutes() []string {
	s := &httpapi.Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	var out []string
	for _, r := range s.Handler().(*gin.Engine).Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") && r.Path != "/api/v1/login" && r.Path != "/api/v1/openapi.json" {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	sort.Strings(out)
	return out
}

// TestEveryRouteIsClassified fails, naming them, for routes the matrix does not
// know — a route added without a row in the expectation table — and for rows
// whose route is gone.
func TestEveryRouteIsClassified(t *testing.T) {
	table := matrixRoutes()
	known := map[string]bool{}
	for k := range table {
		base, _, _ := strings.Cut(k, "#")
		known[base] = true
	}
	var missing []string
	present := map[string]bool{}
	for _, r := range engineRoutes() {
		present[r] = true
		if !known[r] {
			missing = append(missing, r)
		}
	}
	var stale []string
	for k := range known {
		if !present[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	if len(missing) > 0 || len(stale) > 0 {
		t.Fatalf("the authorization matrix (authz_matrix_test.go) must classify every route:\nunclassified routes:\n  %s\nclassified routes that no longer exist:\n  %s",
			strings.Join(missing, "\n  "), strings.Join(stale, "\n  "))
	}
}

// matrixFixtures builds the other province, the actors and one set of objects per
// relation, and returns the fixtures by relation.
func matrixFixtures(b *bundle) map[string]fixture {
	t := b.t
	ctx := context.Background()
	if _, err := b.pool.Exec(ctx, `INSERT INTO units (id, parent_id, name, level, kind, subkind) VALUES
		('CB', 'TW', 'UBND tỉnh Cao Bằng', 'province', 'people_committee', 'tinh'),
		('CB-01', 'CB', 'UBND huyện Hòa An', 'district', 'people_committee', 'huyen'),
		('CB-01-001', 'CB-01', 'UBND xã Hồng Việt', 'commune', 'people_committee', 'xa')`); err != nil {
		t.Fatal(err)
	}
	for _, role := range matrixRoles {
		b.addUser("mx."+role, "Ma Trận "+role, role, seed.DemoDistrict)
	}
	for _, rel := range matrixRelations {
		b.addUser("fx."+rel+".clerk", "Văn thư "+rel, "clerk", relationUnit[rel])
		b.addUser("fx."+rel+".appraiser", "Thẩm định "+rel, "appraiser", relationUnit[rel])
		b.addUser("fx."+rel+".spare", "Dự phòng "+rel, "auditor", relationUnit[rel])
	}
	b.reloadAuthz()
	out := map[string]fixture{}
	for _, rel := range matrixRelations {
		f := fixture{rel: rel, unit: relationUnit[rel], clerk: "fx." + rel + ".clerk"}
		var spare int64
		if err := b.pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, "fx."+rel+".spare").Scan(&spare); err != nil {
			t.Fatal(err)
		}
		f.spare = fmt.Sprint(spare)
		award := "BK_TTG"
		n := b.must(http.StatusCreated, f.clerk, "POST", "/api/v1/nominations", map[string]any{"unit_id": f.unit, "award_code": award,
			"year": 2025, "nominees": []map[string]any{{"kind": "individual", "name": "Đối tượng " + rel}}})
		f.dossier = n.body["id"].(string)
		f.task = jsonNumber(b.taskFor(f.clerk, f.dossier)["id"])
		d := b.sendRaw(f.clerk, "POST", "/api/v1/nominations/"+f.dossier+"/documents?kind=to_trinh&name=to-trinh.pdf", "application/pdf", minimalPDF)
		if d.status != http.StatusCreated {
			t.Fatalf("document fixture %s: %d %s", rel, d.status, d.raw)
		}
		f.document = idOf(t, d.body)
		s := b.must(http.StatusCreated, f.clerk, "POST", "/api/v1/subjects", map[string]any{"unit_id": f.unit, "code": "FX-" + rel,
			"kind": "individual", "name": "Đối tượng " + rel})
		f.subject = idOf(t, s.body)
		m := b.must(http.StatusCreated, "fx."+rel+".appraiser", "POST", "/api/v1/movements", map[string]any{"unit_id": f.unit,
			"name": "Phong trào thi đua " + rel, "period_start": "2025-01-01", "period_end": "2025-12-31"})
		f.movement = idOf(t, m.body)
		var to int64
		if err := b.pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, "fx."+rel+".appraiser").Scan(&to); err != nil {
			t.Fatal(err)
		}
		dl := b.must(http.StatusCreated, f.clerk, "POST", "/api/v1/delegations", map[string]any{"to_user_id": to,
			"valid_from": "2025-06-16", "valid_to": "2025-06-20", "reason": "Đi công tác"})
		f.delegation = idOf(t, dl.body)
		out[rel] = f
	}
	return out
}

// TestAuthorizationMatrix sends every classified route as every role against
// every relation and fails on any success the table does not allow.
func TestAuthorizationMatrix(t *testing.T) {
	b := setup(t, withClock(beforeReform))
	fixtures := matrixFixtures(b)
	table := matrixRoutes()
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var checked, allowedCells, deniedCells int
	endpoints := map[string]bool{}
	var unexpected, serverErrors, deniedOther []string
	send := func(key, role, rel string, rt matrixRoute, f fixture) {
		method, _, _ := strings.Cut(key, " ")
		req := rt.build(f)
		user := "mx." + role
		var r response
		hdr := map[string]string{}
		if rt.freshLogin {
			lr := b.must(http.StatusOK, "", "POST", "/api/v1/login", map[string]string{"username": user, "password": seed.DemoPassword})
			hdr["Authorization"] = "Bearer " + lr.body["token"].(string)
			r = b.doWith("", method, req.path, req.body, hdr)
			// Logging out everywhere ends the cached session too: log in again.
			delete(b.tokens, user)
		} else if req.raw != nil {
			r = b.sendRaw(user, method, req.path, req.contentType, req.raw)
		} else {
			r = b.doWith(user, method, req.path, req.body, hdr)
		}
		checked++
		base, _, _ := strings.Cut(key, "#")
		endpoints[base] = true
		ok := rt.allow.permits(role, rel)
		cell := fmt.Sprintf("%s as %s on %s: %d %s", key, role, rel, r.status, truncate(r.raw, 160))
		switch {
		case r.status >= 500:
			serverErrors = append(serverErrors, cell)
		case !ok && r.status >= 200 && r.status < 300:
			unexpected = append(unexpected, cell)
		case !ok && r.status != http.StatusForbidden && r.status != http.StatusNotFound:
			deniedOther = append(deniedOther, cell)
		}
		if ok {
			allowedCells++
		} else {
			deniedCells++
		}
	}
	for _, key := range keys {
		rt := table[key]
		for _, role := range matrixRoles {
			if relationFree(rt.allow) || relationFreeNobody[key] {
				send(key, role, relNone, rt, fixture{})
				continue
			}
			for _, rel := range matrixRelations {
				send(key, role, rel, rt, fixtures[rel])
			}
		}
	}

	// Lists are filtered per object (API1): a dossier or a subject of a relation the
	// role may not read must not be listed.
	for _, role := range matrixRoles {
		listed := map[string]bool{}
		for _, n := range b.must(http.StatusOK, "mx."+role, "GET", "/api/v1/nominations?limit=200", nil).body["nominations"].([]any) {
			listed[n.(map[string]any)["id"].(string)] = true
		}
		subjects := map[string]bool{}
		for _, s := range b.must(http.StatusOK, "mx."+role, "GET", "/api/v1/subjects?limit=200", nil).body["subjects"].([]any) {
			subjects[idOf(t, s)] = true
		}
		for _, rel := range matrixRelations {
			checked += 2
			if listed[fixtures[rel].dossier] && !dossierRead.permits(role, rel) {
				unexpected = append(unexpected, fmt.Sprintf("GET /api/v1/nominations as %s lists the dossier of %s", role, rel))
			}
			if subjects[fixtures[rel].subject] && !everySubtree.permits(role, rel) {
				unexpected = append(unexpected, fmt.Sprintf("GET /api/v1/subjects as %s lists the subject of %s", role, rel))
			}
		}
	}

	t.Logf("authorization matrix: %d endpoints (%d requests kinds) × %d roles × %d relations: %d requests checked, %d allowed cells, %d denied cells",
		len(endpoints), len(keys), len(matrixRoles), len(matrixRelations), checked, allowedCells, deniedCells)
	if len(deniedOther) > 0 {
		t.Logf("%d denied cells answered neither 403 nor 404 (validation or state checked before authorization):\n  %s",
			len(deniedOther), strings.Join(deniedOther, "\n  "))
	}
	if len(serverErrors) > 0 {
		t.Errorf("%d server errors:\n  %s", len(serverErrors), strings.Join(serverErrors, "\n  "))
	}
	if len(unexpected) > 0 {
		t.Errorf("%d unexpected successes:\n  %s", len(unexpected), strings.Join(unexpected, "\n  "))
	}
	// Nothing the matrix sent moved a fixture dossier.
	for rel, f := range fixtures {
		if st := b.status(f.dossier); st != "draft" {
			t.Errorf("the %s dossier is %s after the matrix", rel, st)
		}
	}
}

// sendRaw sends a raw body with its content type.
func (b *bundle) sendRaw(user, method, path, contentType string, data []byte) response {
	b.t.Helper()
	req, err := http.NewRequest(method, b.url+path, bytes.NewReader(data))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+b.token(user))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	r := response{status: res.StatusCode, header: res.Header, raw: raw}
	if json.Valid(raw) {
		_ = json.Unmarshal(raw, &r.body)
	}
	return r
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
