package review

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"text/template"
	"time"
)

// Document is a review report laid out as a Vietnamese administrative document (văn
// bản hành chính): the issuing body and the national motto, the title and subject, the
// narrative sections, the indicator table, the awards, the units that reported and those
// missing, the recipients and the signature block.
type Document struct {
	Issuer      string // cơ quan ban hành, e.g. "UBND TỈNH LẠNG SƠN"
	Number      string // "Số:      /BC-UBND"
	Place       string // địa danh: "Lạng Sơn"
	Date        time.Time
	Title       string // "BÁO CÁO"
	Subject     string // trích yếu
	Intro       string // căn cứ: "Thực hiện Công văn số …"
	Sections    []DocSection
	Table       []DocRow // the indicator table
	Awards      []AwardCount
	Units       []DocUnit // the units below that reported to this one
	Missing     []string  // the units below that have not reported
	Closing     string
	Recipients  []string // nơi nhận
	SignerTitle []string // "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
	SignerName  string
}

// DocSection is one narrative section: a heading and its paragraphs.
type DocSection struct {
	Heading    string
	Paragraphs []string
}

// DocRow is a row of the indicator table; a group row spans the table as a heading.
type DocRow struct {
	Group bool
	No    string
	Name  string
	Unit  string
	Value string
}

// DocUnit is a unit in the annex of units that reported.
type DocUnit struct {
	Name        string
	Status      string
	SubmittedAt string
	Late        bool
}

// Paragraphs splits a text section into its non-empty lines.
func Paragraphs(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// RenderDOCX writes the document as a Word (OOXML) file: a zip of the content types,
// the package relationships, the document, its styles and the core properties.
func RenderDOCX(d Document) ([]byte, error) {
	var doc bytes.Buffer
	if err := docxTemplates.ExecuteTemplate(&doc, "document", d); err != nil {
		return nil, fmt.Errorf("render docx: %w", err)
	}
	var core bytes.Buffer
	if err := docxTemplates.ExecuteTemplate(&core, "core", d); err != nil {
		return nil, fmt.Errorf("render docx: %w", err)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", packageRelsXML},
		{"word/_rels/document.xml.rels", documentRelsXML},
		{"word/document.xml", doc.String()},
		{"word/styles.xml", stylesXML},
		{"docProps/core.xml", core.String()},
		{"docProps/app.xml", appXML},
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: d.Date})
		if err != nil {
			return nil, fmt.Errorf("render docx: %w", err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, fmt.Errorf("render docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("render docx: %w", err)
	}
	return out.Bytes(), nil
}

// esc escapes text for an XML text node, dropping characters XML 1.0 forbids.
func esc(s string) string {
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(clean)) // writing to a strings.Builder cannot fail
	return b.String()
}

var docxTemplates = template.Must(template.New("docx").Funcs(template.FuncMap{
	"x":         esc,
	"paras":     Paragraphs,
	"date":      FormatDate,
	"isoTime":   func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"hasAwards": func(as []AwardCount) bool { return len(as) > 0 },
	"inc":       func(i int) int { return i + 1 },
	"dict":      dict,
}).Parse(documentXML))

// dict builds the argument map of a sub-template from key, value pairs.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

const contentTypesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>`

const packageRelsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>`

const documentRelsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

const appXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>tdkt</Application></Properties>`

// stylesXML sets Times New Roman 14 pt (Decree 30/2020/NĐ-CP on administrative
// documents), justified body paragraphs with a first-line indent, and the headings.
const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults>
<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="288" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/><w:ind w:firstLine="567"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Center"><w:name w:val="Center"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/><w:ind w:firstLine="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Center"/><w:pPr><w:spacing w:before="360" w:after="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Subject"><w:name w:val="Subject"/><w:basedOn w:val="Center"/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Cell"><w:name w:val="Cell"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/><w:ind w:firstLine="0"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Small"><w:name w:val="Small"/><w:basedOn w:val="Cell"/><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
</w:styles>`

const documentXML = `{{define "p"}}<w:p><w:pPr><w:pStyle w:val="{{.Style}}"/></w:pPr>{{if .Text}}<w:r>{{if or .Bold .Italic}}<w:rPr>{{if .Bold}}<w:b/>{{end}}{{if .Italic}}<w:i/>{{end}}</w:rPr>{{end}}<w:t xml:space="preserve">{{x .Text}}</w:t></w:r>{{end}}</w:p>{{end}}
{{define "cell"}}<w:tc><w:tcPr><w:tcW w:w="{{.W}}" w:type="dxa"/>{{if .Span}}<w:gridSpan w:val="{{.Span}}"/>{{end}}</w:tcPr><w:p><w:pPr><w:pStyle w:val="Cell"/>{{if .Center}}<w:jc w:val="center"/>{{end}}</w:pPr><w:r>{{if .Bold}}<w:rPr><w:b/></w:rPr>{{end}}<w:t xml:space="preserve">{{x .Text}}</w:t></w:r></w:p></w:tc>{{end}}
{{define "document"}}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:tbl><w:tblPr><w:tblW w:w="9071" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="3400"/><w:gridCol w:w="5671"/></w:tblGrid>
<w:tr><w:tc><w:tcPr><w:tcW w:w="3400" w:type="dxa"/></w:tcPr>
<w:p><w:pPr><w:pStyle w:val="Center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve">{{x .Issuer}}</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Center"/></w:pPr><w:r><w:t xml:space="preserve">{{x .Number}}</w:t></w:r></w:p>
</w:tc><w:tc><w:tcPr><w:tcW w:w="5671" w:type="dxa"/></w:tcPr>
<w:p><w:pPr><w:pStyle w:val="Center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="24"/></w:rPr><w:t>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Độc lập - Tự do - Hạnh phúc</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Center"/><w:spacing w:before="120"/></w:pPr><w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">{{x .Place}}, {{date .Date}}</w:t></w:r></w:p>
</w:tc></w:tr></w:tbl>
{{template "p" (dict "Style" "Title" "Text" .Title)}}
{{range paras .Subject}}{{template "p" (dict "Style" "Subject" "Text" .)}}{{end}}
{{range paras .Intro}}{{template "p" (dict "Style" "Normal" "Text" .)}}{{end}}
{{range $i, $s := .Sections}}{{template "p" (dict "Style" "Heading1" "Text" $s.Heading)}}{{range $s.Paragraphs}}{{template "p" (dict "Style" "Normal" "Text" .)}}{{end}}{{end}}
{{if .Table}}{{template "p" (dict "Style" "Heading1" "Text" "Biểu tổng hợp chỉ tiêu")}}
<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="9071" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="700"/><w:gridCol w:w="5171"/><w:gridCol w:w="1200"/><w:gridCol w:w="2000"/></w:tblGrid>
<w:tr><w:trPr><w:tblHeader/></w:trPr>{{template "cell" (dict "W" 700 "Text" "STT" "Bold" true "Center" true)}}{{template "cell" (dict "W" 5171 "Text" "Chỉ tiêu" "Bold" true "Center" true)}}{{template "cell" (dict "W" 1200 "Text" "Đơn vị tính" "Bold" true "Center" true)}}{{template "cell" (dict "W" 2000 "Text" "Kết quả" "Bold" true "Center" true)}}</w:tr>
{{range .Table}}{{if .Group}}<w:tr>{{template "cell" (dict "W" 700 "Text" .No "Bold" true "Center" true)}}{{template "cell" (dict "W" 8371 "Span" 3 "Text" .Name "Bold" true)}}</w:tr>{{else}}<w:tr>{{template "cell" (dict "W" 700 "Text" .No "Center" true)}}{{template "cell" (dict "W" 5171 "Text" .Name)}}{{template "cell" (dict "W" 1200 "Text" .Unit "Center" true)}}{{template "cell" (dict "W" 2000 "Text" .Value "Center" true)}}</w:tr>{{end}}{{end}}
</w:tbl>{{end}}
{{if hasAwards .Awards}}{{template "p" (dict "Style" "Heading1" "Text" "Kết quả khen thưởng (theo quyết định đã ban hành)")}}
<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="9071" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="700"/><w:gridCol w:w="4371"/><w:gridCol w:w="1300"/><w:gridCol w:w="1300"/><w:gridCol w:w="1400"/></w:tblGrid>
<w:tr><w:trPr><w:tblHeader/></w:trPr>{{template "cell" (dict "W" 700 "Text" "STT" "Bold" true "Center" true)}}{{template "cell" (dict "W" 4371 "Text" "Hình thức khen thưởng" "Bold" true "Center" true)}}{{template "cell" (dict "W" 1300 "Text" "Tập thể" "Bold" true "Center" true)}}{{template "cell" (dict "W" 1300 "Text" "Cá nhân" "Bold" true "Center" true)}}{{template "cell" (dict "W" 1400 "Text" "Hộ gia đình" "Bold" true "Center" true)}}</w:tr>
{{range $i, $a := .Awards}}<w:tr>{{template "cell" (dict "W" 700 "Text" (print (inc $i)) "Center" true)}}{{template "cell" (dict "W" 4371 "Text" $a.AwardName)}}{{template "cell" (dict "W" 1300 "Text" (print $a.Collective) "Center" true)}}{{template "cell" (dict "W" 1300 "Text" (print $a.Individual) "Center" true)}}{{template "cell" (dict "W" 1400 "Text" (print $a.Household) "Center" true)}}</w:tr>{{end}}
</w:tbl>{{end}}
{{if .Units}}{{template "p" (dict "Style" "Heading1" "Text" "Các đơn vị đã gửi báo cáo")}}
<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="9071" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="700"/><w:gridCol w:w="4371"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>
<w:tr><w:trPr><w:tblHeader/></w:trPr>{{template "cell" (dict "W" 700 "Text" "STT" "Bold" true "Center" true)}}{{template "cell" (dict "W" 4371 "Text" "Đơn vị" "Bold" true "Center" true)}}{{template "cell" (dict "W" 2000 "Text" "Ngày gửi" "Bold" true "Center" true)}}{{template "cell" (dict "W" 2000 "Text" "Tình trạng" "Bold" true "Center" true)}}</w:tr>
{{range $i, $u := .Units}}<w:tr>{{template "cell" (dict "W" 700 "Text" (print (inc $i)) "Center" true)}}{{template "cell" (dict "W" 4371 "Text" $u.Name)}}{{template "cell" (dict "W" 2000 "Text" $u.SubmittedAt "Center" true)}}{{template "cell" (dict "W" 2000 "Text" $u.Status "Center" true)}}</w:tr>{{end}}
</w:tbl>{{end}}
{{if .Missing}}{{template "p" (dict "Style" "Heading1" "Text" "Các đơn vị chưa gửi báo cáo")}}{{range .Missing}}{{template "p" (dict "Style" "Normal" "Text" (print "- " .))}}{{end}}{{end}}
{{range paras .Closing}}{{template "p" (dict "Style" "Normal" "Text" .)}}{{end}}
<w:tbl><w:tblPr><w:tblW w:w="9071" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="4535"/><w:gridCol w:w="4536"/></w:tblGrid>
<w:tr><w:tc><w:tcPr><w:tcW w:w="4535" w:type="dxa"/></w:tcPr>
<w:p><w:pPr><w:pStyle w:val="Small"/></w:pPr><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>Nơi nhận:</w:t></w:r></w:p>
{{range .Recipients}}<w:p><w:pPr><w:pStyle w:val="Small"/></w:pPr><w:r><w:t xml:space="preserve">- {{x .}}</w:t></w:r></w:p>{{end}}
</w:tc><w:tc><w:tcPr><w:tcW w:w="4536" w:type="dxa"/></w:tcPr>
{{range .SignerTitle}}<w:p><w:pPr><w:pStyle w:val="Center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{x .}}</w:t></w:r></w:p>{{end}}
<w:p><w:pPr><w:pStyle w:val="Center"/><w:spacing w:before="1200"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{x .SignerName}}</w:t></w:r></w:p>
</w:tc></w:tr></w:tbl>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>
</w:body></w:document>{{end}}
{{define "core"}}<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{{x .Subject}}</dc:title><dc:creator>{{x .Issuer}}</dc:creator><dc:language>vi-VN</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{{isoTime .Date}}</dcterms:created></cp:coreProperties>{{end}}`
