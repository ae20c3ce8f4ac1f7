package mailer_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/tdkt/tdkt/internal/accounts"
	"github.com/tdkt/tdkt/internal/inbox"
	"github.com/tdkt/tdkt/internal/mailer"
	"github.com/tdkt/tdkt/internal/password"
	"github.com/tdkt/tdkt/internal/pgtest"
	"github.com/tdkt/tdkt/internal/seed"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixture is a demo database where xa.clerk has an e-mail address and
// huyen.clerk has none.
type fixture struct {
	pool              *pgxpool.Pool
	withMail, without int64
}

const clerkAddress = "lan.ht@baolam.langson.gov.vn"

func newFixture(t *testing.T) fixture {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.NewPool(t)
	if _, err := seed.Demo(ctx, pool, password.Hasher{Cost: bcrypt.MinCost}.Hash); err != nil {
		t.Fatal(err)
	}
	f := fixture{pool: pool}
	for name, id := range map[string]*int64{"xa.clerk": &f.withMail, "huyen.clerk": &f.without} {
		if err := pool.QueryRow(ctx, `SELECT id FROM users WHERE username = $1`, name).Scan(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := accounts.NewStore(f.pool).SetUserEmail(ctx, f.withMail, clerkAddress); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f fixture) notify(t *testing.T, userID int64, title, body, link string) {
	t.Helper()
	if n, err := inbox.NewStore(f.pool).Notify(context.Background(), inbox.NewNotification{UserID: userID, Kind: "task",
		Title: title, Body: body, Link: link}); err != nil || n != 1 {
		t.Fatalf("notify: %d rows, %v", n, err)
	}
}

func (f fixture) unsent(t *testing.T, userID int64) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM notifications WHERE user_id = $1 AND emailed_at IS NULL`,
		userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func newSender(t *testing.T, f fixture, addr string, cfg mailer.Config) *mailer.Sender {
	t.Helper()
	cfg.Addr = addr
	if cfg.From == "" {
		cfg.From = "Hệ thống TĐKT <tdkt@langson.gov.vn>"
	}
	s, err := mailer.New(f.pool, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// drain calls SendBatch until it finds nothing to claim.
func drain(t *testing.T, s *mailer.Sender) {
	for {
		n, err := s.SendBatch(context.Background())
		if err != nil {
			t.Error(err)
			return
		}
		if n == 0 {
			return
		}
	}
}

func messageID(t *testing.T, data string) string {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("unparsable message: %v\n%s", err, data)
	}
	return m.Header.Get("Message-ID")
}

func TestEachNotificationIsEmailedOnceWithTwoSendersRunningConcurrently(t *testing.T) {
	f := newFixture(t)
	srv := newSMTPServer(t).start()
	const n = 60
	for i := range n {
		f.notify(t, f.withMail, fmt.Sprintf("Hồ sơ số %d chờ xử lý", i), "Bạn có một việc mới.", "/dossiers/x")
	}
	for i := range 5 {
		f.notify(t, f.without, fmt.Sprintf("Thông báo %d", i), "", "")
	}
	a, b := newSender(t, f, srv.addr(), mailer.Config{}), newSender(t, f, srv.addr(), mailer.Config{})
	a.BatchSize, b.BatchSize = 4, 4
	var wg sync.WaitGroup
	for _, s := range []*mailer.Sender{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			drain(t, s)
		}()
	}
	wg.Wait()

	msgs := srv.received()
	if len(msgs) != n {
		t.Fatalf("the server received %d messages, want %d (one per notification)", len(msgs), n)
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		if len(m.To) != 1 || m.To[0] != clerkAddress {
			t.Errorf("message to %v, want only %s", m.To, clerkAddress)
		}
		id := messageID(t, m.Data)
		if ids[id] {
			t.Errorf("notification %s was sent twice", id)
		}
		ids[id] = true
	}
	if got := f.unsent(t, f.withMail); got != 0 {
		t.Errorf("%d notifications of the user with an address are still unsent", got)
	}
	if got := f.unsent(t, f.without); got != 5 {
		t.Errorf("the user without an address has %d unsent notifications, want all 5 left alone", got)
	}
	// Nothing is left to send: another pass sends nothing more.
	drain(t, a)
	if got := len(srv.received()); got != n {
		t.Errorf("a second pass sent %d more messages", got-n)
	}
}

func TestMessageCarriesTitleBodyAndLinkOverSTARTTLSWithAuth(t *testing.T) {
	f := newFixture(t)
	cert, roots := selfSigned(t)
	srv := newSMTPServer(t)
	srv.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.users = map[string]string{"tdkt": "smtp-s3cret"}
	srv.start()
	title := "Hồ sơ đề nghị Bằng khen của Thủ tướng Chính phủ – xã Bảo Lâm: đã quá hạn thẩm định"
	body := "Hồ sơ đã quá hạn 2 ngày làm việc.\nĐề nghị đồng chí xử lý ngay."
	f.notify(t, f.withMail, title, body, "/dossiers/7d1c")
	s := newSender(t, f, srv.addr(), mailer.Config{Username: "tdkt", Password: "smtp-s3cret"})
	s.TLSConfig = &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	if n, err := s.SendBatch(context.Background()); err != nil || n != 1 {
		t.Fatalf("SendBatch = %d, %v; want 1 sent", n, err)
	}
	msgs := srv.received()
	if len(msgs) != 1 {
		t.Fatalf("received %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if !got.TLS || got.User != "tdkt" {
		t.Errorf("message sent with TLS=%v as %q; want STARTTLS and AUTH PLAIN as tdkt", got.TLS, got.User)
	}
	if got.From != "tdkt@langson.gov.vn" {
		t.Errorf("envelope sender %q", got.From)
	}
	m, err := mail.ReadMessage(strings.NewReader(got.Data))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subject != title {
		t.Errorf("subject %q (%v), want %q", subject, err, title)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != clerkAddress || to[0].Name != "Hoàng Thị Lan" {
		t.Errorf("To: %v (%v)", to, err)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatal(err)
	}
	if want := body + "\n\n/dossiers/7d1c"; strings.ReplaceAll(strings.TrimSpace(string(text)), "\r\n", "\n") != want {
		t.Errorf("body %q, want %q", text, want)
	}
}

func TestWrongCredentialsLeaveTheNotificationForTheNextBatch(t *testing.T) {
	f := newFixture(t)
	srv := newSMTPServer(t)
	srv.users = map[string]string{"tdkt": "right"}
	srv.start()
	f.notify(t, f.withMail, "Việc mới", "", "")
	s := newSender(t, f, srv.addr(), mailer.Config{Username: "tdkt", Password: "wrong"})
	if _, err := s.SendBatch(context.Background()); err == nil {
		t.Fatal("SendBatch with wrong credentials reported no error")
	}
	if len(srv.received()) != 0 || f.unsent(t, f.withMail) != 1 {
		t.Fatalf("with failed authentication the notification must stay unsent")
	}
}

func TestRefusedRecipientIsNotRetriedAndDoesNotBlockOthers(t *testing.T) {
	f := newFixture(t)
	srv := newSMTPServer(t)
	srv.rejectTo["gone@langson.gov.vn"] = true
	srv.start()
	if err := accounts.NewStore(f.pool).SetUserEmail(context.Background(), f.without, "gone@langson.gov.vn"); err != nil {
		t.Fatal(err)
	}
	f.notify(t, f.without, "Thư không đến được", "", "")
	f.notify(t, f.withMail, "Thư đến được", "", "")
	s := newSender(t, f, srv.addr(), mailer.Config{})
	if n, err := s.SendBatch(context.Background()); err != nil || n != 2 {
		t.Fatalf("SendBatch = %d, %v; want both notifications handled", n, err)
	}
	if msgs := srv.received(); len(msgs) != 1 || msgs[0].To[0] != clerkAddress {
		t.Fatalf("received %+v, want the one deliverable message", msgs)
	}
	if f.unsent(t, f.without) != 0 {
		t.Error("a permanently refused message is retried")
	}
}

func TestServerDownLeavesNotificationsUnsent(t *testing.T) {
	f := newFixture(t)
	srv := newSMTPServer(t) // never started: the listener is closed below
	addr := srv.addr()
	srv.ln.Close()
	f.notify(t, f.withMail, "Việc mới", "", "")
	s := newSender(t, f, addr, mailer.Config{})
	if _, err := s.SendBatch(context.Background()); err == nil {
		t.Fatal("SendBatch reported no error with the server down")
	}
	if f.unsent(t, f.withMail) != 1 {
		t.Fatal("a notification was marked sent although the server was down")
	}
}

func TestOldNotificationsAreNotEmailed(t *testing.T) {
	f := newFixture(t)
	srv := newSMTPServer(t).start()
	if _, err := inbox.NewStore(f.pool).Notify(context.Background(), inbox.NewNotification{UserID: f.withMail, Kind: "task",
		Title: "Tin cũ", At: time.Now().Add(-2 * mailer.DefaultMaxAge)}); err != nil {
		t.Fatal(err)
	}
	s := newSender(t, f, srv.addr(), mailer.Config{})
	if n, err := s.SendBatch(context.Background()); err != nil || n != 0 {
		t.Fatalf("SendBatch = %d, %v; want nothing sent", n, err)
	}
	if len(srv.received()) != 0 {
		t.Fatal("a notification older than MaxAge was e-mailed")
	}
}

func TestRunSendsUntilTheContextEnds(t *testing.T) {
	f := newFixture(t)
	srv := newSMTPServer(t).start()
	s := newSender(t, f, srv.addr(), mailer.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, 20*time.Millisecond) }()
	f.notify(t, f.withMail, "Việc mới khi đang chạy", "", "")
	deadline := time.Now().Add(30 * time.Second)
	for len(srv.received()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after the context ended", err)
	}
	if got := len(srv.received()); got != 1 {
		t.Fatalf("Run sent %d messages, want 1", got)
	}
}

func TestNewRejectsBadConfiguration(t *testing.T) {
	for _, cfg := range []mailer.Config{
		{Addr: "smtp.langson.gov.vn", From: "tdkt@langson.gov.vn"},
		{Addr: "smtp.langson.gov.vn:25", From: "không phải địa chỉ"},
	} {
		if _, err := mailer.New(nil, cfg, nil); err == nil {
			t.Errorf("New(%+v) accepted a bad configuration", cfg)
		}
	}
}
