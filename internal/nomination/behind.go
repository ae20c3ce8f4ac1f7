package nomination

// Behind reports whether the actor saw a newer version of the dossier than the
// workflow holds: the read model is ahead because an update whose record had
// committed was lost (a Temporal server restart before the update was durable).
// The workflow then applies the recorded acts again (Recorded) before it validates
// the new one; Record recognises each as already written and answers as before.
func Behind(d Dossier, a Act) bool {
	return a.Version > d.State.Version
}

// Recorded is an act as the audit trail kept it, at its sequence number.
type Recorded struct {
	Seq int `json:"seq"`
	Act Act `json:"act"`
}
