package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/calendar"
)

func TestDelegationIsGivenListedAndRevokedByItsGiver(t *testing.T) {
	b := setup(t)
	decider, head := meID(b, "tinh.decider"), meID(b, "tinh.head")
	today := calendar.DateOf(time.Now().In(calendar.Zone))
	valid := map[string]any{"to_user_id": head, "valid_from": today.String(), "valid_to": today.AddDays(5).String(),
		"reason": "Đi công tác Hà Nội"}

	r := b.must(http.StatusCreated, "tinh.decider", "POST", "/api/v1/delegations", valid)
	if r.body["active"] != true || int64(r.body["from_user_id"].(float64)) != decider || r.body["to_name"] != "Đinh Văn Trường" {
		t.Fatalf("created delegation: %s", r.raw)
	}
	id := strconv.FormatInt(int64(r.body["id"].(float64)), 10)
	ns := b.must(http.StatusOK, "tinh.head", "GET", "/api/v1/notifications", nil).body["notifications"].([]any)
	if len(ns) == 0 || ns[0].(map[string]any)["kind"] != "delegation" {
		t.Errorf("the receiver was not notified: %v", ns)
	}

	given := b.must(http.StatusOK, "tinh.decider", "GET", "/api/v1/delegations", nil)
	received := b.must(http.StatusOK, "tinh.head", "GET", "/api/v1/delegations", nil)
	if len(given.body["given"].([]any)) != 1 || len(given.body["received"].([]any)) != 0 ||
		len(received.body["received"].([]any)) != 1 || len(received.body["given"].([]any)) != 0 {
		t.Errorf("lists: giver %s, receiver %s", given.raw, received.raw)
	}

	for name, tc := range map[string]struct {
		body  map[string]any
		field string
	}{
		"to oneself":         {map[string]any{"to_user_id": decider, "valid_from": today.String(), "valid_to": today.String(), "reason": "x"}, "to_user_id"},
		"unknown receiver":   {map[string]any{"to_user_id": 999999, "valid_from": today.String(), "valid_to": today.String(), "reason": "x"}, "to_user_id"},
		"end before start":   {map[string]any{"to_user_id": head, "valid_from": today.AddDays(3).String(), "valid_to": today.String(), "reason": "x"}, "valid_to"},
		"in the past":        {map[string]any{"to_user_id": head, "valid_from": today.AddDays(-9).String(), "valid_to": today.AddDays(-2).String(), "reason": "x"}, "valid_to"},
		"over a year":        {map[string]any{"to_user_id": head, "valid_from": today.String(), "valid_to": today.AddDays(400).String(), "reason": "x"}, "valid_to"},
		"no reason":          {map[string]any{"to_user_id": head, "valid_from": today.String(), "valid_to": today.String(), "reason": "  "}, "reason"},
		"malformed date":     {map[string]any{"to_user_id": head, "valid_from": "27/11/2026", "valid_to": today.String(), "reason": "x"}, "valid_from"},
		"smuggled giver":     {map[string]any{"to_user_id": head, "from_user_id": head, "valid_from": today.String(), "valid_to": today.String(), "reason": "x"}, "from_user_id"},
		"missing everything": {map[string]any{}, "to_user_id"},
	} {
		r := b.must(http.StatusBadRequest, "tinh.decider", "POST", "/api/v1/delegations", tc.body)
		if !fieldsOf(r)[tc.field] {
			t.Errorf("%s: no error for %s in %s", name, tc.field, r.raw)
		}
	}
	if n := b.count("delegations"); n != 1 {
		t.Errorf("refused delegations left %d rows, want 1", n)
	}

	// Only the giver revokes, once.
	b.must(http.StatusForbidden, "tinh.head", "DELETE", "/api/v1/delegations/"+id, nil)
	b.must(http.StatusNoContent, "tinh.decider", "DELETE", "/api/v1/delegations/"+id, nil)
	b.must(http.StatusConflict, "tinh.decider", "DELETE", "/api/v1/delegations/"+id, nil)
	b.must(http.StatusNotFound, "tinh.decider", "DELETE", "/api/v1/delegations/999999", nil)
	b.must(http.StatusNotFound, "tinh.decider", "DELETE", "/api/v1/delegations/x", nil)
	after := b.must(http.StatusOK, "tinh.head", "GET", "/api/v1/delegations", nil).body["received"].([]any)[0].(map[string]any)
	if after["active"] != false || after["revoked_at"] == nil {
		t.Errorf("a revoked delegation still shows active: %v", after)
	}
}

func TestUsersSetTheirOwnEmailAddress(t *testing.T) {
	b := setup(t)
	email := func(user string) string {
		var e string
		if err := b.pool.QueryRow(context.Background(), `SELECT email FROM users WHERE username = $1`, user).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	r := b.must(http.StatusOK, "xa.clerk", "PUT", "/api/v1/me/email", map[string]any{"email": " lan.ht@baolam.langson.gov.vn "})
	if r.body["email"] != "lan.ht@baolam.langson.gov.vn" || email("xa.clerk") != "lan.ht@baolam.langson.gov.vn" {
		t.Fatalf("stored %q, answered %s", email("xa.clerk"), r.raw)
	}
	for _, bad := range []string{"Lan <lan@langson.gov.vn>", "không phải thư", "a@b.vn, c@d.vn", "lan@langson.gov.vn\r\nBcc: x@y.vn"} {
		r := b.must(http.StatusBadRequest, "xa.clerk", "PUT", "/api/v1/me/email", map[string]any{"email": bad})
		if !fieldsOf(r)["email"] {
			t.Errorf("%q: %s", bad, r.raw)
		}
	}
	if email("xa.clerk") != "lan.ht@baolam.langson.gov.vn" {
		t.Error("a refused address replaced the stored one")
	}
	if email("xa.head") != "" {
		t.Error("another user's address changed")
	}
	b.must(http.StatusOK, "xa.clerk", "PUT", "/api/v1/me/email", map[string]any{"email": ""})
	if email("xa.clerk") != "" {
		t.Error("an empty address does not stop e-mail")
	}
	b.must(http.StatusUnauthorized, "", "PUT", "/api/v1/me/email", map[string]any{"email": "a@b.vn"})
}
