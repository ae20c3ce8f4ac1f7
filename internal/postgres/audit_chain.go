package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AuditBreak names the first place where the audit chain does not hold.
type AuditBreak struct {
	// ChainSeq is the position in the global chain where the break shows, or
	// DossierPos the position in the chain of dossier NominationID.
	ChainSeq   int64 `json:"chain_seq,omitempty"`
	DossierPos int   `json:"dossier_pos,omitempty"`
	// ID is the audit_events id of the row named (0 for a missing row).
	ID int64 `json:"id"`
	// NominationID and Seq identify the dossier event of that row.
	NominationID string `json:"nomination_id,omitempty"`
	Seq          int    `json:"seq"`
	// Reason says what does not match.
	Reason string `json:"reason"`
}

func (b AuditBreak) String() string {
	if b.DossierPos != 0 {
		if b.ID == 0 {
			return fmt.Sprintf("dossier %s, position %d of its chain: %s", b.NominationID, b.DossierPos, b.Reason)
		}
		return fmt.Sprintf("event id %d (dossier %s event %d, position %d of its chain): %s", b.ID, b.NominationID, b.Seq, b.DossierPos, b.Reason)
	}
	if b.ID == 0 {
		return fmt.Sprintf("chain position %d: %s", b.ChainSeq, b.Reason)
	}
	where := fmt.Sprintf("event id %d (chain position %d", b.ID, b.ChainSeq)
	if b.NominationID != "" {
		where += fmt.Sprintf(", dossier %s event %d", b.NominationID, b.Seq)
	}
	return where + "): " + b.Reason
}

// AuditChainReport is the outcome of walking the audit chains.
type AuditChainReport struct {
	// Events is the number of rows checked: the global chain's and the dossiers'.
	Events int64 `json:"events"`
	// Head is the hash of the global chain's last row, hex-encoded: record it
	// elsewhere (a printed report, another system) to detect a rewrite of the
	// whole chain later. The dossier chains are covered by it through the anchors.
	Head string `json:"head"`
	// Dossiers is the number of dossier chains (migration 0024), DossierEvents the
	// events in them, and Unanchored those of their events written after their
	// dossier's last anchor (anchored by the worker within a minute).
	Dossiers      int64 `json:"dossiers"`
	DossierEvents int64 `json:"dossier_events"`
	Unanchored    int64 `json:"unanchored"`
	// Break is the first inconsistency, nil when the chains are intact.
	Break *AuditBreak `json:"break,omitempty"`
}

var genesis = make([]byte, sha256.Size)

// VerifyAuditChain checks the audit log in one snapshot:
//   - the global chain: it walks the rows in chain order and recomputes every
//     hash, SHA-256 over the previous row's hash and the row's canonical content
//     as audit_event_canonical renders it, and reports the first row whose
//     content no longer matches its hash, whose hash is not what the next row
//     chained to, a missing position (a deleted row), a row outside every chain,
//     or a head that does not match the last row (rows cut off the end);
//   - every dossier's chain (events written since migration 0024) the same way,
//     against its head in audit_dossier_heads, read beside the events on a
//     second connection of the pool in the same snapshot;
//   - every anchor of the global chain: each dossier head it lists must be the
//     hash of that dossier's event at that position (a dossier's events rewritten
//     with their hashes recomputed contradict it).
//
// The error is for failures to read.
func (s DB) VerifyAuditChain(ctx context.Context) (AuditChainReport, error) {
	const op = "store.VerifyAuditChain"
	var rep AuditChainReport
	if s.Pool.Config().MaxConns < 2 {
		return rep, fmt.Errorf("%s: the walk reads on two connections, the pool allows %d", op, s.Pool.Config().MaxConns)
	}
	tx, err := s.Pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return rep, Translate(op, err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	// The dossier heads are read on a second connection in this snapshot.
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return rep, Translate(op, err)
	}
	if err := verifyGlobalChain(ctx, tx, &rep); err != nil || rep.Break != nil {
		return rep, Translate(op, err)
	}
	if err := verifyDossierChains(ctx, s.Pool, tx, snapshot, &rep); err != nil || rep.Break != nil {
		return rep, Translate(op, err)
	}
	return rep, Translate(op, verifyAnchors(ctx, tx, &rep))
}

// verifyGlobalChain walks the global chain (every row not in a dossier chain).
func verifyGlobalChain(ctx context.Context, tx pgx.Tx, rep *AuditChainReport) error {
	var headSeq int64
	var headHash []byte
	if err := tx.QueryRow(ctx, `SELECT last_seq, last_hash FROM audit_chain_head`).Scan(&headSeq, &headHash); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT e.id, e.chain_seq, coalesce(e.nomination_id::text, ''), e.seq, e.prev_hash, e.hash,
			convert_to(audit_event_canonical(e), 'UTF8')
		FROM audit_events e WHERE e.dossier_pos IS NULL ORDER BY e.chain_seq NULLS LAST, e.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	prev := genesis
	type row struct {
		id           int64
		chainSeq     *int64
		nominationID string
		seq          int
		prevHash     []byte
		hash         []byte
		canonical    []byte
	}
	var last *row
	var global int64
	brk := func(r *row, pos int64, reason string) {
		rep.Break = &AuditBreak{ChainSeq: pos, ID: r.id, NominationID: r.nominationID, Seq: r.seq, Reason: reason}
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.chainSeq, &r.nominationID, &r.seq, &r.prevHash, &r.hash, &r.canonical); err != nil {
			return err
		}
		want := global + 1
		switch {
		case r.chainSeq == nil || r.hash == nil || r.prevHash == nil:
			brk(&r, want, "the row is outside the chain (written with the chain trigger disabled)")
		case *r.chainSeq != want:
			rep.Break = &AuditBreak{ChainSeq: want, Reason: fmt.Sprintf("the row at this position is missing (deleted); the next present is event id %d at position %d", r.id, *r.chainSeq)}
		case !bytes.Equal(r.prevHash, prev):
			// The row before was rewritten with a recomputed hash, or this link was.
			if last != nil {
				brk(last, want-1, "its hash is not the one the next event chained to: the row was altered and its hash recomputed")
				global-- // the row named is not intact after all
			} else {
				brk(&r, want, "the first event does not start from the genesis hash")
			}
		default:
			if sum := chainHash(prev, r.canonical); !bytes.Equal(sum, r.hash) {
				brk(&r, want, "its content no longer matches its hash: the row was altered")
			}
		}
		if rep.Break != nil {
			rep.Events = global
			return nil
		}
		global++
		prev = r.hash
		last = &r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rep.Events = global
	rep.Head = hex.EncodeToString(prev)
	if headSeq != global || !bytes.Equal(headHash, prev) {
		rep.Break = &AuditBreak{ChainSeq: global + 1,
			Reason: fmt.Sprintf("the chain head records %d events, %d remain: rows were removed from the end", headSeq, global)}
		if headSeq == global {
			rep.Break.Reason = "the chain head's hash differs from the last event's: the last row was altered"
			if last != nil {
				rep.Break.ID, rep.Break.ChainSeq, rep.Break.NominationID, rep.Break.Seq = last.id, global, last.nominationID, last.seq
			}
		}
	}
	return nil
}

func chainHash(prev, canonical []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(canonical)
	return h.Sum(nil)
}

// dossierHead is a dossier chain's head: its dossier, last position and hash, and
// the position last anchored.
type dossierHead struct {
	nomination    [16]byte
	pos, anchored int
	hash          []byte
}

// snapshotTx begins a read-only transaction on a connection of its own in the
// snapshot of the walk (snapshot, exported by its transaction); done ends it and
// gives the connection back.
func snapshotTx(ctx context.Context, pool *pgxpool.Pool, snapshot string) (tx pgx.Tx, done func(), err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, nil, err
	}
	if tx, err = conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}); err != nil {
		conn.Release()
		return nil, nil, err
	}
	done = func() {
		tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
		conn.Release()
	}
	if _, err := tx.Exec(ctx, `SET TRANSACTION SNAPSHOT '`+snapshot+`'`); err != nil {
		done()
		return nil, nil, err
	}
	return tx, done, nil
}

// dossierRange is a part of the dossiers, by id: lo ≤ id < hi, hi nil for no
// upper bound.
type dossierRange struct{ lo, hi *[16]byte }

// where is the range's condition on column, with its arguments numbered from n.
func (r dossierRange) where(column string, n int) (string, []any) {
	var cond string
	var args []any
	if r.lo != nil {
		args = append(args, *r.lo)
		cond += fmt.Sprintf(" AND %s >= $%d::uuid", column, n)
		n++
	}
	if r.hi != nil {
		args = append(args, *r.hi)
		cond += fmt.Sprintf(" AND %s < $%d::uuid", column, n)
	}
	return cond, args
}

// dossierHeads reads the heads of a range of dossier chains in the order of their
// dossiers, on a connection of its own in the snapshot of the walk, so that the
// heads are merged with the events as both are read, not held in memory: at 1M
// dossiers a map of the heads took 420 MiB.
type dossierHeads struct {
	rows pgx.Rows
	done func()
}

func openDossierHeads(ctx context.Context, pool *pgxpool.Pool, snapshot string, r dossierRange) (*dossierHeads, error) {
	tx, done, err := snapshotTx(ctx, pool, snapshot)
	if err != nil {
		return nil, err
	}
	cond, args := r.where("nomination_id", 1)
	rows, err := tx.Query(ctx, `SELECT nomination_id, last_pos, last_hash, anchored_pos FROM audit_dossier_heads
		WHERE last_pos > 0`+cond+` ORDER BY nomination_id`, args...)
	if err != nil {
		done()
		return nil, err
	}
	return &dossierHeads{rows: rows, done: done}, nil
}

// next is the next head, ok false after the last.
func (h *dossierHeads) next() (head dossierHead, ok bool, err error) {
	if !h.rows.Next() {
		return head, false, h.rows.Err()
	}
	err = h.rows.Scan(&head.nomination, &head.pos, &head.hash, &head.anchored)
	return head, err == nil, err
}

func (h *dossierHeads) close() { h.rows.Close(); h.done() }

// verifyDossierChains walks every dossier's chain in position order against its
// head, the chains and the heads both in the order of their dossiers (uuid order,
// the bytes' order). A break names the row and its position in its dossier's
// chain: the first in that order. With four connections to spare the dossiers are
// walked in two halves at once, the first on tx and the second on a transaction
// of its own in the same snapshot, each with its heads on one more: PostgreSQL
// renders the events' canonical text on both cores.
func verifyDossierChains(ctx context.Context, pool *pgxpool.Pool, tx pgx.Tx, snapshot string, rep *AuditChainReport) error {
	if pool.Config().MaxConns < 4 {
		return walkDossierRange(ctx, pool, tx, snapshot, dossierRange{}, rep)
	}
	half := [16]byte{0x80}
	ranges := []dossierRange{{hi: &half}, {lo: &half}}
	parts := make([]AuditChainReport, len(ranges))
	errs := make([]error, len(ranges))
	// A break in the first half is the first break: the second half's walk stops.
	secondCtx, stopSecond := context.WithCancel(ctx)
	defer stopSecond()
	var wg sync.WaitGroup
	wg.Go(func() {
		errs[0] = walkDossierRange(ctx, pool, tx, snapshot, ranges[0], &parts[0])
		if errs[0] != nil || parts[0].Break != nil {
			stopSecond()
		}
	})
	wg.Go(func() {
		rtx, done, err := snapshotTx(secondCtx, pool, snapshot)
		if err != nil {
			errs[1] = err
			return
		}
		defer done()
		errs[1] = walkDossierRange(secondCtx, pool, rtx, snapshot, ranges[1], &parts[1])
	})
	wg.Wait()
	for i, p := range parts {
		if errs[i] != nil {
			return errs[i]
		}
		rep.Events += p.Events
		rep.Dossiers += p.Dossiers
		rep.DossierEvents += p.DossierEvents
		rep.Unanchored += p.Unanchored
		if p.Break != nil {
			rep.Break = p.Break
			return nil
		}
	}
	return nil
}

// walkDossierRange walks the chains of a range of dossiers, its events on tx,
// against their heads.
func walkDossierRange(ctx context.Context, pool *pgxpool.Pool, tx pgx.Tx, snapshot string, r dossierRange, rep *AuditChainReport) error {
	heads, err := openDossierHeads(ctx, pool, snapshot, r)
	if err != nil {
		return err
	}
	defer heads.close()
	head, headOK, err := heads.next()
	if err != nil {
		return err
	}
	cond, args := r.where("e.nomination_id", 1)
	rows, err := tx.Query(ctx, `SELECT e.id, e.nomination_id, e.dossier_pos, e.seq, e.prev_hash, e.hash,
			convert_to(audit_event_canonical_dossier(e), 'UTF8')
		FROM audit_events e WHERE e.dossier_pos IS NOT NULL`+cond+` ORDER BY e.nomination_id, e.dossier_pos`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur [16]byte
	started := false
	var pos int
	var prev []byte
	var lastID int64
	var lastSeq int
	brk := func(id int64, nomination [16]byte, p, seq int, reason string) {
		rep.Break = &AuditBreak{DossierPos: p, ID: id, NominationID: uuid.UUID(nomination).String(), Seq: seq, Reason: reason}
	}
	// headsBefore reports a head, before the dossier next walked (or after the
	// last one when last), whose events are all gone.
	headsBefore := func(next [16]byte, last bool) {
		if headOK && (last || bytes.Compare(head.nomination[:], next[:]) < 0) {
			brk(0, head.nomination, 1, 0, fmt.Sprintf("the head records %d events, none remain: rows were removed", head.pos))
		}
	}
	// closeChain checks that the chain of cur ends at its head, then moves on to
	// the next head.
	closeChain := func() error {
		switch {
		case !headOK || head.nomination != cur:
			brk(lastID, cur, pos, lastSeq, "the dossier has no chain head")
		case head.pos != pos:
			brk(0, cur, pos+1, 0, fmt.Sprintf("the head records %d events, %d remain: rows were removed from the end", head.pos, pos))
		case !bytes.Equal(head.hash, prev):
			brk(lastID, cur, pos, lastSeq, "the head's hash differs from the last event's: the last row was altered")
		default:
			rep.Unanchored += int64(head.pos - min(head.anchored, head.pos))
			head, headOK, err = heads.next()
			return err
		}
		return nil
	}
	for rows.Next() {
		var id int64
		var nomination [16]byte
		var p, seq int
		var prevHash, hash, canonical []byte
		if err := rows.Scan(&id, &nomination, &p, &seq, &prevHash, &hash, &canonical); err != nil {
			return err
		}
		if !started || nomination != cur {
			if started {
				if err := closeChain(); err != nil || rep.Break != nil {
					return err
				}
			}
			if headsBefore(nomination, false); rep.Break != nil {
				return nil
			}
			cur, pos, prev, started = nomination, 0, genesis, true
			rep.Dossiers++
		}
		switch {
		case p != pos+1:
			brk(0, nomination, pos+1, 0, fmt.Sprintf("the row at this position is missing (deleted); the next present is event id %d at position %d", id, p))
		case !bytes.Equal(prevHash, prev):
			if pos > 0 {
				brk(lastID, nomination, pos, lastSeq, "its hash is not the one the next event chained to: the row was altered and its hash recomputed")
			} else {
				brk(id, nomination, p, seq, "the first event does not start from the genesis hash")
			}
		case !bytes.Equal(chainHash(prev, canonical), hash):
			brk(id, nomination, p, seq, "its content no longer matches its hash: the row was altered")
		}
		if rep.Break != nil {
			return nil
		}
		rep.Events++
		rep.DossierEvents++
		pos, prev, lastID, lastSeq = p, hash, id, seq
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if started {
		if err := closeChain(); err != nil || rep.Break != nil {
			return err
		}
	}
	headsBefore(cur, true)
	return nil
}

// verifyAnchors checks every dossier head listed by an anchor of the global chain
// against the event at that position of that dossier's chain (whose hash the walk
// has already checked).
func verifyAnchors(ctx context.Context, tx pgx.Tx, rep *AuditChainReport) error {
	var anchorID, chainSeq int64
	var nomination, want string
	var pos int
	var have *string
	err := tx.QueryRow(ctx, `SELECT a.id, a.chain_seq, h->>0, (h->>1)::int, h->>2, encode(e.hash, 'hex')
		FROM audit_events a CROSS JOIN LATERAL jsonb_array_elements(a.details->'heads') h
		LEFT JOIN audit_events e ON e.nomination_id = (h->>0)::uuid AND e.dossier_pos = (h->>1)::int
		WHERE a.action = 'anchor' AND a.nomination_id IS NULL AND e.hash IS DISTINCT FROM decode(h->>2, 'hex')
		ORDER BY a.chain_seq LIMIT 1`).Scan(&anchorID, &chainSeq, &nomination, &pos, &want, &have)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	reason := fmt.Sprintf("the anchor lists dossier %s at position %d with hash %s, ", nomination, pos, want)
	if have == nil {
		reason += "and that event is missing: the dossier's events were removed"
	} else {
		reason += "and that event's hash is " + *have + ": the dossier's events were rewritten with their hashes recomputed"
	}
	rep.Break = &AuditBreak{ChainSeq: chainSeq, ID: anchorID, Reason: reason}
	return nil
}

// AnchorAuditChains writes anchors into the global chain (audit_anchor(), one
// anchor per 20,000 dossier heads) until every dossier chain that moved is
// anchored, except heads being written at that moment, which the next call takes.
// It returns the number of dossier heads anchored.
func (s DB) AnchorAuditChains(ctx context.Context) (int, error) {
	total := 0
	for {
		var n int
		if err := s.Pool.QueryRow(ctx, `SELECT audit_anchor()`).Scan(&n); err != nil {
			return total, Translate("store.AnchorAuditChains", err)
		}
		total += n
		if n < 20000 {
			return total, nil
		}
	}
}
