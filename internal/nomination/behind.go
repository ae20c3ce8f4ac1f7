package nomination

// Behind reports whether the workflow holds an older version of the dossier than
// the read model the actor acted on: an update whose record had committed was lost
// (a Temporal server restart before the update was durable). The workflow then
// applies the recorded acts again (Recorded) before it validates the new act;
// Record recognises each as already written and answers as before. A version the
// read model never had is simply stale.
func Behind(d Dossier, a Act) bool {
	return a.Version > d.State.Version && a.Version <= a.ReadModelVersion
}

// Recorded is an act as the audit trail kept it, at its sequence number.
type Recorded struct {
	Seq int `json:"seq"`
	Act Act `json:"act"`
}
