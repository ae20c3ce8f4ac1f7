package inboxpages

import (
	"strings"
	"testing"
)

func TestFoldFindsVietnameseWithoutDiacritics(t *testing.T) {
	if got := fold("Đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh"); got != "de nghi tang bang khen cua chu tich ubnd tinh" {
		t.Errorf("fold = %q", got)
	}
	if !matchesAll(fold("Giấy khen hộ gia đình"), strings.Fields(fold("giay KHEN dinh"))) {
		t.Error("words without diacritics should match")
	}
}
