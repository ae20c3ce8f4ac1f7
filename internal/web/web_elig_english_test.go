package web_test

import "testing"

// TestEligibilityWarningsAreEnglishInEnglishMode: two dossiers propose the same
// unlinked name for a Giấy khen; in English the second dossier's page words both
// warnings (no subject linked, the same name in another dossier) in English, with
// "1 warning" style counts untouched, and in Vietnamese it keeps the Vietnamese text.
func TestEligibilityWarningsAreEnglishInEnglishMode(t *testing.T) {
	b := setup(t)
	b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	n := b.newDossier("GK", "household", "Hộ ông Lý Văn Páo")
	en := b.login("huyen.appraiser")
	en.lang = "en"
	en.get("/dossiers/"+n.ID).must(t, 200).
		has(t, "No subject linked: the award history cannot be checked.",
			"The same name is proposed for GK for 2025 in another dossier; link the subject to check for certain.").
		lacks(t, "Chưa gắn mã đối tượng", "Cùng tên được đề nghị")
	b.login("huyen.appraiser").get("/dossiers/"+n.ID).must(t, 200).
		has(t, "Chưa gắn mã đối tượng: không kiểm tra được lịch sử thi đua, khen thưởng.", "Cùng tên được đề nghị GK năm 2025 trong hồ sơ khác")
}
