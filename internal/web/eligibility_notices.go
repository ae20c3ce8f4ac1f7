package web

import "github.com/tdkt/tdkt/internal/nominees"

// Notice words an eligibility warning in the page's language: in Vietnamese its
// text as the application wrote it; in another language its message
// elig.notice.<code> with its arguments, or the Vietnamese text when it has no code
// (the rules engine's notes) or no such message.
func (p *Page) Notice(n nominees.Notice) string {
	if p.Lang != languages[0] && n.Code != "" && HasMessage("elig.notice."+n.Code) {
		return p.T("elig.notice."+n.Code, n.Args...)
	}
	return n.Text
}

// FirstNotices returns the warnings the dossier page lists (at most maxWarnings).
func (p *Page) FirstNotices(ns []nominees.Notice) []nominees.Notice {
	if len(ns) > maxWarnings {
		return ns[:maxWarnings]
	}
	return ns
}

// MoreNotices counts the warnings the page does not list.
func (p *Page) MoreNotices(ns []nominees.Notice) int { return max(len(ns)-maxWarnings, 0) }

// maxWarnings is how many warnings of one nominee the dossier page lists; a name
// proposed in many other dossiers would otherwise fill the page with the same
// line.
const maxWarnings = 5

// FirstWarnings returns the warnings the page lists.
func (p *Page) FirstWarnings(ws []string) []string {
	if len(ws) > maxWarnings {
		return ws[:maxWarnings]
	}
	return ws
}

// MoreWarnings counts the warnings the page does not list.
func (p *Page) MoreWarnings(ws []string) int { return max(len(ws)-maxWarnings, 0) }
