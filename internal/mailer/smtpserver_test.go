package mailer_test

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// received is one message the test server accepted.
type received struct {
	From string
	To   []string
	Data string
	TLS  bool   // the message came over STARTTLS
	User string // the authenticated user, if any
}

// smtpServer is a minimal SMTP server for tests: EHLO/HELO, optional STARTTLS and
// AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT, recording what it accepts.
type smtpServer struct {
	t        *testing.T
	ln       net.Listener
	tls      *tls.Config       // non-nil: offer STARTTLS
	users    map[string]string // non-empty: offer AUTH PLAIN and require it
	rejectTo map[string]bool   // RCPT to these addresses gets 550

	mu       sync.Mutex
	messages []received
	wg       sync.WaitGroup
}

func newSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{t: t, ln: ln, rejectTo: map[string]bool{}}
	t.Cleanup(s.close)
	return s
}

// start serves connections until the test ends; configure the server before.
func (s *smtpServer) start() *smtpServer {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := s.ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(conn)
			}()
		}
	}()
	return s
}

func (s *smtpServer) addr() string { return s.ln.Addr().String() }

func (s *smtpServer) close() {
	s.ln.Close()
	s.wg.Wait()
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.messages...)
}

func (s *smtpServer) serve(conn net.Conn) {
	defer func() { conn.Close() }()
	_ = conn.SetDeadline(time.Now().Add(time.Minute))
	r := textproto.NewReader(bufio.NewReader(conn))
	w := bufio.NewWriter(conn)
	reply := func(lines ...string) bool {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		return w.Flush() == nil
	}
	var cur received
	var authed string
	inTLS := false
	if !reply("220 test.local ESMTP ready") {
		return
	}
	for {
		line, err := r.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			lines := []string{"250-test.local"}
			if s.tls != nil && !inTLS {
				lines = append(lines, "250-STARTTLS")
			}
			if len(s.users) > 0 {
				lines = append(lines, "250-AUTH PLAIN")
			}
			reply(append(lines, "250 8BITMIME")...)
		case "HELO":
			reply("250 test.local")
		case "STARTTLS":
			if s.tls == nil || inTLS {
				reply("502 not offered")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, inTLS = tc, true
			r = textproto.NewReader(bufio.NewReader(conn))
			w = bufio.NewWriter(conn)
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(raw), "\x00")
			if strings.ToUpper(mech) != "PLAIN" || err != nil || len(parts) != 3 || s.users[parts[1]] != parts[2] || parts[2] == "" {
				reply("535 authentication failed")
				continue
			}
			authed = parts[1]
			reply("235 authenticated")
		case "MAIL":
			if len(s.users) > 0 && authed == "" {
				reply("530 authentication required")
				continue
			}
			cur = received{From: pathOf(arg), TLS: inTLS, User: authed}
			reply("250 ok")
		case "RCPT":
			to := pathOf(arg)
			if s.rejectTo[to] {
				reply("550 no such mailbox")
				continue
			}
			cur.To = append(cur.To, to)
			reply("250 ok")
		case "DATA":
			reply("354 end with .")
			lines, err := r.ReadDotLines()
			if err != nil {
				return
			}
			cur.Data = strings.Join(lines, "\n")
			s.mu.Lock()
			s.messages = append(s.messages, cur)
			s.mu.Unlock()
			cur = received{}
			reply("250 queued")
		case "RSET":
			cur = received{}
			reply("250 ok")
		case "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown command")
		}
	}
}

// pathOf returns the address of a MAIL or RCPT argument: FROM:<a@b> BODY=8BITMIME → a@b.
func pathOf(arg string) string {
	if i := strings.IndexByte(arg, ':'); i >= 0 {
		arg = arg[i+1:]
	}
	arg, _, _ = strings.Cut(arg, " ")
	return strings.Trim(arg, "<>")
}

// selfSigned returns a server certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test.local"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
