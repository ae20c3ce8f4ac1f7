package httpapi_test

import (
	"archive/zip"
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/seed"
)

// TestHostileProbeOfEveryRoute sends every /api/v1 route the probe's classes of
// hostile input, as a logged-in clerk: NUL bytes in the query parameters q,
// status, unit, award, kind and format; a NUL, an escape character and invalid
// UTF-8 in JSON strings; a null body; a duplicate key; a cookie-only text/plain
// request; and a ZIP bomb to the imports. No answer may be a 5xx; every query
// with a NUL must be 400; every cookie-only text/plain write must be 403. The
// counts and the slowest answer are logged for SECURITY.md:
//
//	go test ./internal/httpapi -run TestHostileProbeOfEveryRoute -v
func TestHostileProbeOfEveryRoute(t *testing.T) {
	b := setup(t)
	dossier := b.must(http.StatusCreated, "xa.clerk", "POST", "/api/v1/nominations", bkTinhDossier(seed.DemoCommune)).body["id"].(string)
	session := b.token("xa.clerk")
	fill := func(path string) string {
		var out []string
		for _, seg := range strings.Split(path, "/") {
			switch {
			case seg == ":id" && strings.Contains(path, "/nominations/"):
				seg = dossier
			case seg == ":unit":
				seg = seed.DemoCommune
			case strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*"):
				seg = "1"
			}
			out = append(out, seg)
		}
		return strings.Join(out, "/")
	}
	var total, fiveXX, queryRefused, csrfRefused int
	var slowest time.Duration
	var slowestWhat string
	var failures []string
	send := func(what string, want int, req *http.Request) {
		start := time.Now()
		res, err := http.DefaultClient.Do(req)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		total++
		if took > slowest {
			slowest, slowestWhat = took, what
		}
		if res.StatusCode >= 500 {
			fiveXX++
			failures = append(failures, what+": "+res.Status+" "+string(raw))
		} else if want != 0 && res.StatusCode != want {
			failures = append(failures, what+": "+res.Status+", want "+http.StatusText(want)+" "+string(raw))
		} else if want == http.StatusBadRequest {
			queryRefused++
		} else if want == http.StatusForbidden {
			csrfRefused++
		}
	}
	newReq := func(method, path, ctype string, body []byte, bearer bool) *http.Request {
		req, err := http.NewRequest(method, b.url+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if bearer {
			req.Header.Set("Authorization", "Bearer "+session)
		} else {
			req.AddCookie(&http.Cookie{Name: "tdkt_session", Value: session})
		}
		return req
	}
	bodies := map[string]string{
		"NUL in strings":  `{"name":"a\u0000","title":"\u0000","reason":"x\u0000","username":"\u0000","q":"\u0000"}`,
		"ESC in strings":  `{"name":"\u001b[31m","reason":"\u001b"}`,
		"invalid UTF-8":   "{\"name\":\"\xff\xfe\"}",
		"null body":       `null`,
		"duplicate key":   `{"reason":"a","reason":"b"}`,
		"key in caps":     `{"REASON":"a"}`,
		"deeply nested":   `{"a":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`,
		"huge number":     `{"year":1e999999}`,
		"string for list": `{"nominees":"x"}`,
	}
	routes := append(engineRoutes(), "POST /api/v1/login")
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		p := fill(path)
		send(rt+" NUL query", http.StatusBadRequest,
			newReq(method, p+"?q=%00&status=%00&unit=%00&award=%00&kind=%00&format=%00", "application/json", nil, true))
		if method == http.MethodGet || strings.HasSuffix(path, "/logout") || strings.HasSuffix(path, "/logout-everywhere") {
			continue
		}
		for name, body := range bodies {
			send(rt+" "+name, 0, newReq(method, p, "application/json", []byte(body), true))
		}
		if path != "/api/v1/login" {
			send(rt+" cookie text/plain", http.StatusForbidden, newReq(method, p, "text/plain", []byte(`{}`), false))
		}
	}
	// The probe's ZIP bomb, to both imports, as a file part and as the raw body.
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	_, _ = io.CopyN(w, zeroReader{}, 250<<20)
	_ = zw.Close()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "bomb.xlsx")
	_, _ = fw.Write(bomb.Bytes())
	_ = mw.Close()
	var bombSlowest time.Duration
	for _, path := range []string{"/api/v1/history/import?unit=" + seed.DemoCommune, "/api/v1/nominations/" + dossier + "/nominees/import"} {
		for _, body := range []struct {
			ctype string
			data  []byte
		}{{mw.FormDataContentType(), form.Bytes()}, {"application/octet-stream", bomb.Bytes()}} {
			start := time.Now()
			send("bomb to "+path, 0, newReq("POST", path, body.ctype, body.data, true))
			bombSlowest = max(bombSlowest, time.Since(start))
		}
	}
	// The file name of an upload is text too.
	var named bytes.Buffer
	nw := multipart.NewWriter(&named)
	fw, _ = nw.CreateFormFile("file", "a\x00.xlsx")
	_, _ = fw.Write([]byte("x"))
	_ = nw.Close()
	send("NUL in an upload's file name", http.StatusBadRequest, newReq("POST", "/api/v1/history/import?unit="+seed.DemoCommune, nw.FormDataContentType(), named.Bytes(), true))

	t.Logf("hostile probe: %d requests over %d routes; 5xx: %d; NUL queries refused with 400: %d; cookie-only text/plain writes refused with 403: %d; slowest answer %v (%s); 250 MiB ZIP bomb (%d KiB) slowest refusal %v",
		total, len(routes), fiveXX, queryRefused, csrfRefused, slowest.Round(time.Millisecond), slowestWhat, bomb.Len()>>10, bombSlowest.Round(time.Millisecond))
	if len(failures) > 0 {
		t.Fatalf("%d failures:\n  %s", len(failures), strings.Join(failures, "\n  "))
	}
	if bombSlowest > time.Second {
		t.Fatalf("a ZIP bomb took %v to refuse", bombSlowest)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }
