package password

import (
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestArgon2idRoundTripInPHCFormat(t *testing.T) {
	h := Hasher{Cost: bcrypt.MinCost}
	hash, err := h.Hash("Mật khẩu đủ dài 2025")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") || strings.Count(hash, "$") != 5 {
		t.Fatalf("not a PHC argon2id string with the cheap parameters: %s", hash)
	}
	if !Verify(hash, "Mật khẩu đủ dài 2025") {
		t.Fatal("the right password does not verify")
	}
	for _, wrong := range []string{"", "Mật khẩu đủ dài 2024", "Mat khau du dai 2025", strings.Repeat("x", MaxLen+1)} {
		if Verify(hash, wrong) {
			t.Fatalf("%q verifies", wrong)
		}
	}
	again, _ := h.Hash("Mật khẩu đủ dài 2025")
	if again == hash {
		t.Fatal("two hashes of one password share a salt")
	}
	if h.NeedsRehash(hash) || !(Hasher{}).NeedsRehash(hash) {
		t.Fatal("NeedsRehash must follow the parameters")
	}
}

// TestBcryptHashesStillVerify: hashes written before the switch keep working and
// are marked for rehashing.
func TestBcryptHashesStillVerify(t *testing.T) {
	old, err := bcrypt.GenerateFromPassword([]byte("tdkt-2024"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if !Verify(string(old), "tdkt-2024") || Verify(string(old), "tdkt-2025") {
		t.Fatal("bcrypt verification changed")
	}
	if !(Hasher{Cost: bcrypt.MinCost}).NeedsRehash(string(old)) {
		t.Fatal("a bcrypt hash is not marked for rehashing")
	}
}

// TestMalformedHashesNeverVerify: truncated strings and hostile parameters (a
// memory cost that would exhaust the server) are refused without computing.
func TestMalformedHashesNeverVerify(t *testing.T) {
	good, _ := Hasher{Cost: bcrypt.MinCost}.Hash("x")
	for _, h := range []string{
		"$argon2id$v=19$m=64,t=1,p=1$",
		"$argon2id$v=18$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1000,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=64,t=1,p=1,x=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		strings.Replace(good, "$argon2id$", "$argon2i$", 1),
		"plaintext",
	} {
		if Verify(h, "x") {
			t.Errorf("%q verifies", h)
		}
	}
	if Verify("", "x") {
		t.Fatal("an unknown user verifies")
	}
	if _, err := (Hasher{Cost: bcrypt.MinCost}).Hash(""); err == nil {
		t.Fatal("an empty password was hashed")
	}
}

// BenchmarkHashProduction measures one production hash (the cost of a login).
func BenchmarkHashProduction(b *testing.B) {
	for b.Loop() {
		if _, err := (Hasher{}).Hash("Mật khẩu đủ dài 2025"); err != nil {
			b.Fatal(err)
		}
	}
}
