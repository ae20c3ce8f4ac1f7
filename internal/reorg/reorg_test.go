package reorg

import (
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/domain"
)

func TestParseReadsSplitsAndNamesEveryBadRow(t *testing.T) {
	rows, err := Parse(strings.NewReader("\ufeffcode,name,kind,parent,valid_from,predecessors\n" +
		"ls-06613,Đình Lập,xa,LS,2025-07-01,LS-11-001; ls-11-005 (một phần)\n" +
		"LS-06625,Kiên Mộc,phuong,LS,2025-07-01,LS-11-005 (part)\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Code != "LS-06613" || rows[0].Name != "UBND xã Đình Lập" || rows[0].Level != "commune" || rows[0].Line != 2 ||
		len(rows[0].Predecessors) != 2 || !rows[0].Predecessors[0].Whole || rows[0].Predecessors[1] != (Predecessor{ID: "LS-11-005"}) {
		t.Fatalf("row 2: %+v", rows[0])
	}
	if rows[1].Name != "UBND phường Kiên Mộc" || rows[1].Predecessors[0].Whole {
		t.Fatalf("row 3: %+v", rows[1])
	}

	_, err = Parse(strings.NewReader("code,name,kind,parent,valid_from,predecessors\n" +
		"LS-A,Một,xa,LS,2025-07-01,LS-1\n" +
		"LS-A,Hai,xa,LS,2025-13-01,LS-1;LS-A\n" +
		"LS-B,,thon,LS,2025-07-01,\n" +
		"LS-C,Bốn,xa,LS\n"))
	e, ok := err.(*domain.Error)
	if !ok || e.Kind != domain.KindInvalid {
		t.Fatalf("error %v", err)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field)
	}
	want := "row 3: code,row 3: valid_from,row 3: predecessors,row 4: kind,row 4: name,row 5: file"
	if strings.Join(got, ",") != want {
		t.Fatalf("fields %v, want %s", got, want)
	}

	if _, err := Parse(strings.NewReader("code,name\nX,Y\n")); err == nil || !strings.Contains(err.Error(), "header") {
		t.Fatalf("wrong header: %v", err)
	}
}
