package documents

import (
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/documents/keys"
)

func sampleCertificate() Certificate {
	d := sampleDecision()
	return Certificate{Kind: "Giấy khen", Authority: d.Authority, Awardee: "Nguyễn Thị Hường",
		Position:    "Chi hội trưởng Chi hội Phụ nữ thôn Nà Lốc",
		Achievement: "Đã có thành tích xuất sắc trong phong trào thi đua xây dựng nông thôn mới năm 2026.",
		Decision:    d.Header.Number, Header: d.Header, Register: "Sổ khen thưởng số: 12.1", Code: "K7QD-4M2X-1",
		VerifyURL: "https://tdkt.example.vn/verify/K7QD-4M2X-1", Signature: d.Signature}
}

// TestEveryDocumentCheckedByTools renders each kind of document, signs it and
// checks it with poppler and qpdf.
func TestEveryDocumentCheckedByTools(t *testing.T) {
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	pdfsig := tool(t, "pdfsig", "poppler-utils")
	qpdf := tool(t, "qpdf", "qpdf")
	d := sampleDecision()
	pki, err := keys.OpenDevPKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key, err := pki.Unit("LS-X01", "Ủy ban nhân dân xã Hoàng Văn Thụ")
	if err != nil {
		t.Fatal(err)
	}
	sub, err := RenderSubmission(Submission{
		Header: Header{Issuer: "Thôn Nà Lốc", Superior: "UBND xã Hoàng Văn Thụ", Number: "3/TTr-TNL", Place: "Hoàng Văn Thụ",
			Date: time.Date(2026, 12, 1, 0, 0, 0, 0, vn)},
		Code: "K7TT-0001", Award: "Giấy khen của Chủ tịch Ủy ban nhân dân xã", To: "Chủ tịch Ủy ban nhân dân xã Hoàng Văn Thụ",
		Bases: d.Bases[1:2], Body: []string{"Năm 2026, các tập thể, cá nhân thôn Nà Lốc đã tích cực tham gia phong trào thi đua xây dựng nông thôn mới."},
		Awardees: d.Awardees, Attached: []string{"Báo cáo thành tích", "Biên bản họp thôn"}, Recipients: []string{"Như trên;", "Lưu: VT."},
		Signature: Signature{Title: "Trưởng thôn", Name: "Hoàng Văn Nam"},
	})
	if err != nil {
		t.Fatal(err)
	}
	min, err := RenderMinutes(Minutes{
		Header: Header{Superior: "UBND xã Hoàng Văn Thụ", Issuer: "Hội đồng Thi đua - Khen thưởng", Number: "2/BB-HĐTĐKT",
			Place: "Hoàng Văn Thụ", Date: time.Date(2026, 12, 3, 0, 0, 0, 0, vn)},
		Award: "Giấy khen", Held: "Vào hồi 14 giờ 00 ngày 03 tháng 12 năm 2026, tại trụ sở Ủy ban nhân dân xã",
		Chair: "ông Lộc Văn Thành, Phó Chủ tịch UBND xã", Secretary: "bà Vi Thị Lan",
		Members:    []string{"Lộc Văn Thành", "Vi Thị Lan", "Hoàng Văn Bình", "Nông Thị Mai", "Lăng Văn Tú"},
		Present:    []string{"Lộc Văn Thành", "Vi Thị Lan", "Hoàng Văn Bình", "Nông Thị Mai"},
		Votes:      []Vote{{Name: "Nguyễn Thị Hường", For: 4, Passed: true}, {Name: "Hoàng Văn Đức", For: 1, Against: 3}},
		Conclusion: "Hội đồng thống nhất đề nghị Chủ tịch UBND xã tặng Giấy khen cho 01 cá nhân đạt trên 50% số phiếu đồng ý.",
		ChairSign:  Signature{Title: "Chủ tịch Hội đồng", Name: "Lộc Văn Thành"}, SecretarySign: Signature{Title: "Thư ký", Name: "Vi Thị Lan"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ret, err := RenderReturnLetter(ReturnLetter{
		Header: Header{Issuer: "Ủy ban nhân dân xã Hoàng Văn Thụ", Number: "45/UBND-VHXH", Place: "Hoàng Văn Thụ",
			Date: time.Date(2026, 12, 2, 0, 0, 0, 0, vn), About: "trả lại hồ sơ đề nghị khen thưởng"},
		To: "Thôn Nà Lốc", Dossier: "hồ sơ đề nghị tặng Giấy khen kèm theo Tờ trình số 3/TTr-TNL ngày 01 tháng 12 năm 2026",
		Missing: []string{"Báo cáo thành tích của bà Nguyễn Thị Hường", "Biên bản họp xét của thôn"}, Deadline: "trước ngày 10 tháng 12 năm 2026",
		Recipients: []string{"Như trên;", "Lưu: VT, VHXH."}, Signature: Signature{Authority: "TL.", For: "Chủ tịch", Title: "Chánh Văn phòng", Name: "Vi Văn Hải"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cert, err := RenderCertificate(sampleCertificate())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		r    Rendered
		want []string
	}{
		{"submission", sub, []string{"TỜ TRÌNH", "Số: 3/TTr-TNL", "Kính gửi: Chủ tịch Ủy ban nhân dân xã Hoàng Văn Thụ", "Căn cứ Luật Thi đua", "Kính trình", "Nơi nhận:", "TRƯỞNG THÔN", "Hoàng Văn Nam", "DANH SÁCH ĐỀ NGHỊ"}},
		{"minutes", min, []string{"BIÊN BẢN", "Số: 2/BB-HĐTĐKT", "có mặt 4 người", "Vắng mặt: 1 người", "Nguyễn Thị Hường 4 0 0 Đạt", "Không đạt", "CHỦ TỊCH HỘI ĐỒNG", "THƯ KÝ", "Vi Thị Lan"}},
		{"return-letter", ret, []string{"Số: 45/UBND-VHXH", "V/v trả lại hồ sơ đề nghị khen thưởng", "1. Báo cáo thành tích", "2. Biên bản họp xét", "TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Vi Văn Hải"}},
		{"certificate", cert, []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "GIẤY KHEN", "Nguyễn Thị Hường", "Quyết định số: 12/QĐ-UBND", "Mã tra cứu: K7QD-4M2X-1", "Lộc Văn Thành"}},
	} {
		s, err := Sign(c.r.PDF, c.r.Seal, key.Signer, key.Chain, SignInfo{Time: signTime})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		path := writeTemp(t, c.name+"-signed.pdf", s)
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
		if out, err := run(t, qpdf, "--check", path); err != nil {
			t.Errorf("%s: qpdf --check: %v\n%s", c.name, err, out)
		}
		if out, _ := run(t, pdfsig, path); !strings.Contains(out, "Signature is Valid") {
			t.Errorf("%s: pdfsig:\n%s", c.name, out)
		}
	}
}

func TestRenderRefusesIncompleteContent(t *testing.T) {
	d := sampleDecision()
	d.Header.Number = ""
	if _, err := RenderDecision(d); err == nil || !strings.Contains(err.Error(), "number") {
		t.Errorf("a decision without a number: %v", err)
	}
	d = sampleDecision()
	d.Awardees = nil
	if _, err := RenderDecision(d); err == nil {
		t.Error("a decision without awardees is rendered")
	}
	if _, err := RenderReturnLetter(ReturnLetter{Header: Header{Issuer: "x", Number: "1/UBND"}, To: "y", Signature: Signature{Name: "z"}}); err == nil {
		t.Error("a return letter without missing items is rendered")
	}
}
