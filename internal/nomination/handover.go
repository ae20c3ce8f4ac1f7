package nomination

import "github.com/tdkt/tdkt/internal/domain"

// stopUnit is the unit of the stop the dossier is at: the route's, or the
// successor that took the stop over when its unit ended (State.Handovers).
func (p *planner) stopUnit() string {
	id := p.stop().UnitID
	for _, h := range p.to.Handovers {
		if h.From == id {
			id = h.To
		}
	}
	return id
}

// CanHandOver reports whether a dossier waits at a stop of its route, where a
// handover applies when the stop's unit ends: not in draft, not returned to the
// submitting unit, not closed.
func CanHandOver(s State) bool {
	switch s.Status {
	case domain.StatusDraft, domain.StatusReturned, "":
		return false
	}
	return !s.Status.Terminal() && s.CurrentUnitID != ""
}

// CanGoToNextStop reports whether the dossier has a stop after the current one,
// to which it goes when its unit ends with no successor.
func CanGoToNextStop(d Dossier) bool { return d.State.RouteIndex < len(d.Route)-1 }

// handover moves the dossier off the unit it waits at, which has ended. With a
// successor (a.HandoverTo) the successor takes the stop over as it stands: same
// stage, same open tasks and due dates, moved to it. Without one (the level was
// abolished, or the unit split) the dossier goes to the next stop of its route and
// its intake opens there, as after a forwarding but with no letter.
func (p *planner) handover(a Act) {
	to, t := p.to, p.t
	from := p.d.State.CurrentUnitID
	t.UnitID = from
	if a.HandoverTo != "" {
		to.CurrentUnitID = a.HandoverTo
		to.Handovers = append(append([]domain.TaskMove(nil), p.d.State.Handovers...), domain.TaskMove{From: from, To: a.HandoverTo})
		for i := range to.ConcurrencePending {
			if to.ConcurrencePending[i] == from {
				to.ConcurrencePending = append([]string(nil), to.ConcurrencePending...)
				to.ConcurrencePending[i] = a.HandoverTo
			}
		}
		t.MoveTasks = &domain.TaskMove{From: from, To: a.HandoverTo}
		return
	}
	t.CloseAll = true
	p.enterStop(to.RouteIndex + 1)
}
