// Package faulttest holds tdkt's fault tests: the whole product (PostgreSQL, a
// real Temporal server, the worker and the JSON API) run with a fault injected
// where it hurts — a worker stopped after the Record activity committed, a
// database connection lost as a commit's answer comes back, the Temporal server
// restarted on its file, the API's record of a response lost after the Temporal
// update — and each test shows that the dossier finishes with every audit event
// exactly once. The package has tests only.
package faulttest
