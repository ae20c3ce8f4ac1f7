package documents

import (
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/documents/keys"
)

func sampleAppraisal() Appraisal {
	return Appraisal{
		Header: Header{Superior: "Ủy ban nhân dân xã Hoàng Văn Thụ", Issuer: "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
			Place: "Hoàng Văn Thụ", Date: time.Date(2026, 12, 2, 10, 0, 0, 0, vn)},
		Code: "K7TD-0002", Award: "Giấy khen của Chủ tịch Ủy ban nhân dân xã",
		Facts: []string{"Tên hồ sơ: Khen thưởng phong trào nông thôn mới 2026", "Đơn vị trình: Thôn Nà Lốc",
			"Văn bản đề nghị: Tờ trình số 3/TTr-TNL ngày 01 tháng 12 năm 2026", "Số tập thể, cá nhân được đề nghị: 2"},
		Documents: []AppraisalDocument{{Name: "Tờ trình kèm danh sách", Present: true}, {Name: "Báo cáo thành tích", Present: true},
			{Name: "Biên bản họp xét", Present: false}},
		Returns: []string{"Ngày 01/12/2026 (Công văn số 4/UBND-TĐKT) trả lại hồ sơ, yêu cầu bổ sung: Biên bản họp xét"},
		Nominees: []AppraisalNominee{
			{Name: "Nguyễn Thị Hường", Position: "Chi hội trưởng", Checked: true, Eligible: true, Criteria: []AppraisalCriterion{
				{Label: "Hoàn thành tốt nhiệm vụ 2 năm liên tục", Met: true, Explanation: "2025, 2026"},
				{Label: "Không bị kỷ luật", Met: false, Explanation: "chưa có dữ liệu", Override: "đạt, lý do: xác nhận của thôn"}}},
			{Name: "Tổ dân phố số 4", Checked: false},
		},
		Comments:   []string{"Đã đối chiếu sổ khen thưởng (Vi Thị Lan, 02/12/2026)"},
		Conclusion: "Hồ sơ đủ thành phần theo quy định và đã được thẩm định theo kết quả trên; đề nghị trình Chủ tịch Ủy ban nhân dân xã Hoàng Văn Thụ xem xét, quyết định khen thưởng.",
		Signature:  Signature{Title: "Người thẩm định", Name: "Vi Thị Lan"},
	}
}

// TestAppraisalAndCertificatesCheckedByTools renders the appraisal note and every
// certificate of a decision in one PDF, and has poppler and qpdf check them: the
// required elements, the embedded fonts, the file's structure, and the signature
// of the appraisal note.
func TestAppraisalAndCertificatesCheckedByTools(t *testing.T) {
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	pdffonts := tool(t, "pdffonts", "poppler-utils")
	pdfsig := tool(t, "pdfsig", "poppler-utils")
	qpdf := tool(t, "qpdf", "qpdf")
	app, err := RenderAppraisal(sampleAppraisal())
	if err != nil {
		t.Fatal(err)
	}
	pki, err := keys.OpenDevPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key, err := pki.Unit("LS-X01", "Ủy ban nhân dân xã Hoàng Văn Thụ")
	if err != nil {
		t.Fatal(err)
	}
	signedApp, err := Sign(app.PDF, app.Seal, key.Signer, key.Chain, SignInfo{Time: signTime})
	if err != nil {
		t.Fatal(err)
	}
	c1 := sampleCertificate()
	c2 := sampleCertificate()
	c2.Awardee, c2.Position, c2.Code = "Tổ dân phố số 4", "", "K7QD-4M2X-4"
	c2.VerifyURL = "https://tdkt.example.vn/verify/K7QD-4M2X-4"
	certs, err := RenderCertificates([]Certificate{c1, c2})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		pdf    []byte
		signed bool
		pages  int
		want   []string
	}{
		{"appraisal", signedApp, true, 0, []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN XÃ", "VĂN PHÒNG HỘI ĐỒNG NHÂN",
			"PHIẾU THẨM ĐỊNH", "I. THÔNG TIN HỒ SƠ", "Tờ trình số 3/TTr-TNL", "II. THÀNH PHẦN HỒ SƠ", "Biên bản họp xét Thiếu",
			"III. TRẢ LẠI, YÊU CẦU BỔ SUNG", "Công văn số 4/UBND-TĐKT", "IV. ĐIỀU KIỆN, TIÊU CHUẨN", "Đủ điều kiện",
			"người thẩm định xác định: đạt, lý do: xác nhận của thôn", "Chưa kiểm tra được", "V. Ý KIẾN THẨM ĐỊNH", "VI. KẾT LUẬN",
			"NGƯỜI THẨM ĐỊNH", "Vi Thị Lan"}},
		{"certificates", certs.PDF, false, 2, []string{"GIẤY KHEN", "Nguyễn Thị Hường", "Tổ dân phố số 4", "Mã tra cứu: K7QD-4M2X-1",
			"Mã tra cứu: K7QD-4M2X-4", "Quyết định số: 12/QĐ-UBND", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lộc Văn Thành"}},
	} {
		path := writeTemp(t, c.name+".pdf", c.pdf)
		txt, err := run(t, pdftotext, "-layout", path, "-")
		if err != nil {
			t.Fatalf("%s: pdftotext: %v", c.name, err)
		}
		flat := strings.Join(strings.Fields(txt), " ")
		for _, want := range c.want {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: pdftotext does not find %q in:\n%s", c.name, want, txt)
			}
		}
		if c.name == "appraisal" && (strings.Contains(flat, "Số:") || strings.Contains(flat, "Mã tra cứu")) {
			t.Errorf("the appraisal note, a phiếu, prints a register number or a code the public page does not answer")
		}
		if c.pages > 0 {
			if got := strings.Count(txt, "\f"); got != c.pages {
				t.Errorf("%s: %d pages, want %d (one per awardee)", c.name, got, c.pages)
			}
			// Each page is one awardee's certificate with its own code.
			pages := strings.Split(txt, "\f")
			if !strings.Contains(pages[0], "K7QD-4M2X-1") || strings.Contains(pages[0], "K7QD-4M2X-4") || !strings.Contains(pages[1], "K7QD-4M2X-4") {
				t.Errorf("%s: the pages do not each carry their awardee's code:\n%s", c.name, txt)
			}
		}
		fonts, err := run(t, pdffonts, path)
		if err != nil {
			t.Fatalf("%s: pdffonts: %v\n%s", c.name, err, fonts)
		}
		lines := strings.Split(strings.TrimSpace(fonts), "\n")
		if len(lines) < 3 {
			t.Errorf("%s: pdffonts lists no font:\n%s", c.name, fonts)
		}
		for _, l := range lines[min(2, len(lines)):] {
			if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" || !strings.Contains(strings.ToLower(l), "liberationserif") {
				t.Errorf("%s: font not embedded or not Liberation Serif: %q", c.name, l)
			}
		}
		if out, err := run(t, qpdf, "--check", path); err != nil {
			t.Errorf("%s: qpdf --check: %v\n%s", c.name, err, out)
		}
		if c.signed {
			if out, _ := run(t, pdfsig, path); !strings.Contains(out, "Signature is Valid") {
				t.Errorf("%s: pdfsig:\n%s", c.name, out)
			}
		}
	}
}

func TestRenderCertificatesRefusesEmptyAndIncomplete(t *testing.T) {
	if _, err := RenderCertificates(nil); err == nil {
		t.Error("an empty print batch is rendered")
	}
	c := sampleCertificate()
	c.Signature.Name = ""
	if _, err := RenderCertificates([]Certificate{sampleCertificate(), c}); err == nil || !strings.Contains(err.Error(), "signer") {
		t.Errorf("a certificate without a signer is rendered: %v", err)
	}
	a := sampleAppraisal()
	a.Conclusion = ""
	if _, err := RenderAppraisal(a); err == nil || !strings.Contains(err.Error(), "conclusion") {
		t.Errorf("an appraisal note without a conclusion is rendered: %v", err)
	}
}
