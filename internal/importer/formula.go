package importer

import "strings"

// formulaStarts are the first characters with which a spreadsheet program may
// read a CSV cell as a formula (OWASP, CSV injection): =, +, -, @, tab and
// carriage return.
const formulaStarts = "=+-@\t\r"

// neutralise makes a text cell of a CSV export inert: a cell that starts like a
// formula is written behind a single quote, which spreadsheet programs show as
// text and do not evaluate ("=HYPERLINK(…)" becomes "'=HYPERLINK(…)"). It is the
// one place exports escape cells; XLSX exports need none, as they write text as
// string cells, never as formulas.
func neutralise(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// unneutralise undoes neutralise when a CSV file is read, so that an exported
// file imports unchanged.
func unneutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		return s[1:]
	}
	return s
}
