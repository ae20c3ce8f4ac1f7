// Package password hashes and verifies user passwords. New hashes are argon2id in
// the PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash); bcrypt hashes
// written before the switch still verify, and NeedsRehash tells the login to
// replace them.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Params are argon2id's cost parameters.
type Params struct {
	// Memory in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism.
	Threads uint8
}

// Production is OWASP's recommended argon2id setting: 19 MiB, 2 passes, 1 thread.
var Production = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Cheap is a test setting: 64 KiB, 1 pass. Never use it for real accounts.
var Cheap = Params{Memory: 64, Time: 1, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// MaxLen bounds a password's length in bytes.
	MaxLen = 1024
)

// Hasher hashes passwords with argon2id. Params, when set, are used as they are.
// Otherwise Cost (kept from the bcrypt era, so that callers need not change)
// chooses: a cost at or below bcrypt.MinCost selects Cheap, anything else
// Production.
type Hasher struct {
	Cost   int
	Params *Params
}

func (h Hasher) params() Params {
	switch {
	case h.Params != nil:
		return *h.Params
	case h.Cost != 0 && h.Cost <= bcrypt.MinCost:
		return Cheap
	}
	return Production
}

// Hash returns the argon2id hash of pw in PHC format with a random salt. It fails
// for an empty password or one over MaxLen bytes.
func (h Hasher) Hash(pw string) (string, error) {
	if pw == "" || len(pw) > MaxLen {
		return "", fmt.Errorf("hash password: length must be 1 to %d bytes", MaxLen)
	}
	p := h.params()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// NeedsRehash reports whether a stored hash should be replaced by h's: a bcrypt
// hash, or an argon2id hash with other parameters.
func (h Hasher) NeedsRehash(hash string) bool {
	p, _, _, err := parsePHC(hash)
	return err != nil || p != h.params()
}

// errFormat is a stored hash tdkt cannot read.
var errFormat = errors.New("not an argon2id PHC string")

func parsePHC(hash string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, errFormat
	}
	var m, t, th uint64
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return p, nil, nil, errFormat
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, nil, nil, errFormat
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			th = n
		default:
			return p, nil, nil, errFormat
		}
	}
	// Refuse parameters that would make one verification a denial of service.
	if m < 8 || m > 1<<21 || t < 1 || t > 16 || th < 1 || th > 64 {
		return p, nil, nil, errFormat
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errFormat
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errFormat
	}
	return Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(th)}, salt, key, nil
}

// Verify reports whether pw matches hash, an argon2id PHC string or a bcrypt hash.
// An empty hash (unknown user) still costs one argon2id computation with the
// production parameters and returns false, so that a wrong username and a wrong
// password take about the same time.
func Verify(hash, pw string) bool {
	if len(pw) > MaxLen {
		return false
	}
	if hash == "" {
		argon2.IDKey([]byte(pw), []byte("tdkt-no-such-user"), Production.Time, Production.Memory, Production.Threads, keyLen)
		return false
	}
	if strings.HasPrefix(hash, "$argon2id$") {
		p, salt, key, err := parsePHC(hash)
		if err != nil {
			return false
		}
		got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
		return subtle.ConstantTimeCompare(got, key) == 1
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}
