// Package mailer sends in-app notifications (thông báo) by e-mail over SMTP: an
// outbox reader over the notifications table. Each batch claims unsent rows of
// users with an e-mail address with SELECT … FOR UPDATE SKIP LOCKED, sends them,
// and marks them emailed_at in the same transaction, so that several workers
// running side by side never send a message twice. A crash between the SMTP
// server's acceptance and the commit sends that batch again: delivery is at least
// once, and a second copy carries the same Message-ID.
package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Config is where and as whom the mailer sends.
type Config struct {
	// Addr is the SMTP server's host:port, e.g. smtp.langson.gov.vn:587.
	Addr string
	// From is the sender address, optionally with a display name.
	From string
	// Username and Password, when Username is set, authenticate with AUTH PLAIN,
	// which net/smtp only sends over TLS or to localhost.
	Username string
	Password string
}

// Defaults of a Sender.
const (
	DefaultBatchSize = 50
	DefaultMaxAge    = 72 * time.Hour
	DefaultInterval  = 10 * time.Second
	dialTimeout      = 10 * time.Second
	batchTimeout     = 2 * time.Minute
)

// Sender sends the notification outbox over SMTP. Its fields may be changed before
// the first use; it is safe for one goroutine at a time (run one per process, any
// number of processes).
type Sender struct {
	pool *pgxpool.Pool
	cfg  Config
	from *mail.Address
	host string
	log  *slog.Logger

	// BatchSize is how many notifications one transaction claims and sends.
	BatchSize int
	// MaxAge skips notifications older than this: a user who adds an address
	// gets the news from now on, not a backlog.
	MaxAge time.Duration
	// TLSConfig is used for STARTTLS; nil verifies the server against the system
	// roots under the host name of Addr.
	TLSConfig *tls.Config
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// New returns a Sender for the pool and configuration. It returns an error when
// Addr is not host:port or From is not an address.
func New(pool *pgxpool.Pool, cfg Config, log *slog.Logger) (*Sender, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("mailer: SMTP address %q must be host:port", cfg.Addr)
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mailer: sender address %q: %w", cfg.From, err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{pool: pool, cfg: cfg, from: from, host: host, log: log,
		BatchSize: DefaultBatchSize, MaxAge: DefaultMaxAge, Now: time.Now}, nil
}

// message is one claimed notification to send.
type message struct {
	id                          int64
	to, name, title, body, link string
	created                     time.Time
}

// SendBatch claims up to BatchSize unsent notifications of users with an e-mail
// address, sends them over one SMTP connection and marks the ones the server
// accepted — and the ones it refused permanently (5xx), which are logged and not
// retried — in the claiming transaction. It returns how many it marked. On a
// connection or transient failure it marks what was accepted before it and
// returns the error; the rest is retried by the next batch.
func (s *Sender) SendBatch(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, batchTimeout)
	defer cancel()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("mailer: begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // no-op after commit
	rows, err := tx.Query(ctx, `SELECT n.id, u.email, u.full_name, n.title, n.body, n.link, n.created_at
		FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.emailed_at IS NULL AND u.email <> '' AND n.created_at > $2
		ORDER BY n.id LIMIT $1
		FOR UPDATE OF n SKIP LOCKED`, s.BatchSize, s.Now().Add(-s.MaxAge))
	if err != nil {
		return 0, fmt.Errorf("mailer: claim notifications: %w", err)
	}
	msgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (message, error) {
		var m message
		err := r.Scan(&m.id, &m.to, &m.name, &m.title, &m.body, &m.link, &m.created)
		return m, err
	})
	if err != nil {
		return 0, fmt.Errorf("mailer: claim notifications: %w", err)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	done, sendErr := s.send(ctx, msgs)
	if len(done) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE notifications SET emailed_at = $2 WHERE id = ANY($1)`, done, s.Now()); err != nil {
			return 0, fmt.Errorf("mailer: mark sent: %w", err)
		}
		if err := tx.Commit(ctx); err != nil {
			return 0, fmt.Errorf("mailer: commit: %w", err)
		}
	}
	return len(done), sendErr
}

// send delivers msgs over one connection and returns the ids that are done with.
func (s *Sender) send(ctx context.Context, msgs []message) (done []int64, err error) {
	c, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	for _, m := range msgs {
		err := s.sendOne(c, m)
		if err == nil {
			done = append(done, m.id)
			continue
		}
		var tpErr *textproto.Error
		if errors.As(err, &tpErr) && tpErr.Code >= 500 {
			s.log.Warn("e-mail refused by the SMTP server; not retried", "notification", m.id, "code", tpErr.Code, "err", err)
			done = append(done, m.id)
			if err := c.Reset(); err != nil {
				return done, fmt.Errorf("mailer: reset after a refusal: %w", err)
			}
			continue
		}
		return done, fmt.Errorf("mailer: send notification %d: %w", m.id, err)
	}
	if err := c.Quit(); err != nil {
		s.log.Debug("SMTP quit", "err", err)
	}
	return done, nil
}

// dial connects, upgrades to TLS when the server offers STARTTLS and
// authenticates when a username is configured.
func (s *Sender) dial(ctx context.Context) (*smtp.Client, error) {
	d := net.Dialer{Timeout: dialTimeout}
	conn, err := d.DialContext(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("mailer: connect %s: %w", s.cfg.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl) // bounds a stalled server; an error here surfaces on the first read
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("mailer: greeting from %s: %w", s.cfg.Addr, err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLSConfig
		if cfg == nil {
			cfg = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			c.Close()
			return nil, fmt.Errorf("mailer: STARTTLS with %s: %w", s.cfg.Addr, err)
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.host)); err != nil {
			c.Close()
			return nil, fmt.Errorf("mailer: authenticate as %s: %w", s.cfg.Username, err)
		}
	}
	return c, nil
}

// sendOne sends one message on an open connection.
func (s *Sender) sendOne(c *smtp.Client, m message) error {
	if err := c.Mail(s.from.Address); err != nil {
		return err
	}
	if err := c.Rcpt(m.to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(s.compose(m)); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// compose renders the message: the notification's title as the subject, its body
// and link as a UTF-8 quoted-printable text part.
func (s *Sender) compose(m message) []byte {
	var b strings.Builder
	to := mail.Address{Name: m.name, Address: m.to}
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", s.from.String())
	header("To", to.String())
	header("Subject", foldEncoded(mime.BEncoding.Encode("utf-8", oneLine(m.title))))
	header("Date", m.created.Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<tdkt-notification-%d@%s>", m.id, s.from.Address[strings.LastIndexByte(s.from.Address, '@')+1:]))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	text := m.body
	if m.link != "" {
		if text != "" {
			text += "\n\n"
		}
		text += m.link
	}
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(text)) // writes to a strings.Builder cannot fail
	_ = qp.Close()
	b.WriteString("\r\n")
	return []byte(b.String())
}

// oneLine keeps a header value on one line whatever the notification's title holds.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// foldEncoded folds a header of several encoded words onto continuation lines,
// so that a long Vietnamese title stays under the 998-octet line limit.
func foldEncoded(s string) string {
	return strings.ReplaceAll(s, "?= =?", "?=\r\n =?")
}

// Run sends batches until the outbox is drained, then waits interval, until ctx
// ends. Failures are logged and retried at the next tick. It returns nil when ctx
// ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			n, err := s.SendBatch(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Error("e-mail batch failed", "err", err)
				}
				break
			}
			if n < s.BatchSize {
				break
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
