package httpapi

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/domain"
	"github.com/tdkt/tdkt/internal/httpx"
)

// IdempotencyKeyHeader names the header of a client-chosen request key.
const IdempotencyKeyHeader = "Idempotency-Key"

// recoverFunc finds out what a request whose API died did. It returns the
// response to store and send (done), or done=false to run the request again.
type recoverFunc func(c *gin.Context, key string, rec accounts.IdempotencyRecord) (status int, body any, location string, done bool, err error)

// bufferedWriter holds a handler's response until it has been stored.
type bufferedWriter struct {
	gin.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *bufferedWriter) WriteHeader(code int) { w.status = code }
func (w *bufferedWriter) WriteHeaderNow()      {}
func (w *bufferedWriter) Write(b []byte) (int, error) {
	return w.buf.Write(b)
}
func (w *bufferedWriter) WriteString(s string) (int, error) { return w.buf.WriteString(s) }
func (w *bufferedWriter) Status() int                       { return w.status }
func (w *bufferedWriter) Size() int                         { return w.buf.Len() }
func (w *bufferedWriter) Written() bool                     { return w.buf.Len() > 0 }

// idempotent makes a POST safe to retry with an Idempotency-Key header. The first
// request with a key claims it and runs; its response (below 500) is stored before
// it is sent. A retry with the same key, the same user and the same request (the
// hash of method, path and body) gets the stored response again, marked
// Idempotent-Replayed; the same key with another request is 422; a retry while the
// first still runs is 409 with Retry-After. When the API died before storing the
// response, a retry after the lease finds out what the first request did (the
// dossier it created, the update it sent) through rec and answers that, or runs
// the request again. A 5xx response releases the key. Without the header the
// request runs as usual.
func (s *Server) idempotent(rec recoverFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader(IdempotencyKeyHeader)
		if key == "" {
			c.Next()
			return
		}
		if len(key) > 200 || !printableASCII(key) {
			s.fail(c, domain.Invalid("Idempotency-Key must be 1 to 200 printable ASCII characters",
				domain.FieldError{Field: IdempotencyKeyHeader, Message: "1 to 200 printable ASCII characters"}))
			return
		}
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				s.fail(c, &domain.Error{Kind: kindTooLarge, Message: "request body too large"})
				return
			}
			s.fail(c, domain.Invalid("could not read the request body"))
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		h := sha256.New()
		h.Write([]byte(c.Request.Method + "\n" + c.Request.URL.Path + "\n"))
		h.Write(body)
		uid := userID(c)
		stored, claim, err := s.App.ClaimIdempotencyKey(ctx(c), uid, key, h.Sum(nil))
		if err != nil {
			s.fail(c, err)
			return
		}
		switch {
		case claim == accounts.ClaimExisting && stored.RequestHash == nil:
			s.fail(c, domain.Errorf(domain.KindConflict, "a request with this Idempotency-Key has just failed; retry"))
			return
		case claim == accounts.ClaimExisting && !bytes.Equal(stored.RequestHash, h.Sum(nil)):
			s.fail(c, domain.Errorf(kindUnprocessable, "this Idempotency-Key was used for another request"))
			return
		case claim == accounts.ClaimExisting && stored.Status == nil:
			c.Header("Retry-After", "1")
			s.fail(c, domain.Errorf(domain.KindConflict, "a request with this Idempotency-Key is in progress"))
			return
		case claim == accounts.ClaimExisting:
			if stored.Location != "" {
				c.Header("Location", stored.Location)
			}
			c.Header("Idempotent-Replayed", "true")
			c.Data(*stored.Status, stored.ContentType, stored.Body)
			c.Abort()
			return
		}
		idem := accounts.Idempotency{UserID: uid, Key: key, ResourceID: stored.ResourceID}
		if claim == accounts.ClaimTakenOver {
			status, out, location, done, err := rec(c, key, stored)
			if err != nil {
				s.finish(c, uid, key, func() { s.fail(c, err) })
				return
			}
			if done {
				s.finish(c, uid, key, func() {
					if location != "" {
						c.Header("Location", location)
					}
					c.AbortWithStatusJSON(status, out)
				})
				return
			}
			if id, ok := out.(string); ok && id != "" {
				idem.ResourceID = id
			}
		}
		c.Request = c.Request.WithContext(accounts.WithIdempotency(ctx(c), idem))
		s.finish(c, uid, key, c.Next)
	}
}

// finish runs respond with the response buffered, stores it under the key (or
// releases the key after a 5xx), then sends it.
func (s *Server) finish(c *gin.Context, uid int64, key string, respond func()) {
	orig := c.Writer
	bw := &bufferedWriter{ResponseWriter: orig, status: http.StatusOK}
	c.Writer = bw
	respond()
	c.Writer = orig
	if bw.status >= 500 {
		if err := s.App.ReleaseIdempotencyKey(ctx(c), uid, key); err != nil {
			s.Log.Error("release idempotency key", "err", err)
		}
	} else if err := s.App.CompleteIdempotencyKey(ctx(c), uid, key, bw.status, orig.Header().Get("Content-Type"),
		orig.Header().Get("Location"), bw.buf.Bytes()); err != nil {
		// The outcome stands; a retry after the lease recovers it from Temporal or the dossier.
		s.Log.Error("store idempotent response", "err", err)
	}
	orig.WriteHeader(bw.status)
	orig.WriteHeaderNow()
	if bw.buf.Len() > 0 {
		orig.Write(bw.buf.Bytes()) //nolint:errcheck // the client is gone
	}
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// recoverCreate answers a create whose API died: the dossier it committed, or a
// fresh dossier id to create it again.
func (s *Server) recoverCreate(c *gin.Context, key string, rec accounts.IdempotencyRecord) (int, any, string, bool, error) {
	n, id, done, err := s.App.RecoverCreate(ctx(c), userID(c), key, rec)
	if err != nil || !done {
		return 0, id, "", false, err
	}
	return http.StatusCreated, n, "/api/v1/nominations/" + n.ID, true, nil
}

// recoverAction answers an action whose API died with the update's outcome.
func (s *Server) recoverAction(byTask bool) recoverFunc {
	return func(c *gin.Context, key string, _ accounts.IdempotencyRecord) (int, any, string, bool, error) {
		var taskID int64
		id := c.Param("id")
		if byTask {
			var err error
			if taskID, err = strconv.ParseInt(id, 10, 64); err != nil {
				return 0, nil, "", false, domain.Errorf(domain.KindNotFound, "no such task")
			}
			id = ""
		}
		n, done, err := s.App.RecoverAction(ctx(c), userID(c), id, taskID, key)
		if err != nil || !done {
			return 0, nil, "", false, err
		}
		c.Header("ETag", httpx.ETag(n.Version))
		return http.StatusOK, n, "", true, nil
	}
}
