package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// AuditBreak names the first place where the audit chain does not hold.
type AuditBreak struct {
	// ChainSeq is the position in the chain where the break shows.
	ChainSeq int64 `json:"chain_seq"`
	// ID is the audit_events id of the row named (0 for a missing row).
	ID int64 `json:"id"`
	// NominationID and Seq identify the dossier event of that row.
	NominationID string `json:"nomination_id,omitempty"`
	Seq          int    `json:"seq"`
	// Reason says what does not match.
	Reason string `json:"reason"`
}

func (b AuditBreak) String() string {
	if b.ID == 0 {
		return fmt.Sprintf("chain position %d: %s", b.ChainSeq, b.Reason)
	}
	where := fmt.Sprintf("event id %d (chain position %d", b.ID, b.ChainSeq)
	if b.NominationID != "" {
		where += fmt.Sprintf(", dossier %s event %d", b.NominationID, b.Seq)
	}
	return where + "): " + b.Reason
}

// AuditChainReport is the outcome of walking the audit chain.
type AuditChainReport struct {
	// Events is the number of rows checked.
	Events int64 `json:"events"`
	// Head is the hash of the last row, hex-encoded: record it elsewhere (a printed
	// report, another system) to detect a rewrite of the whole chain later.
	Head string `json:"head"`
	// Break is the first inconsistency, nil when the chain is intact.
	Break *AuditBreak `json:"break,omitempty"`
}

// VerifyAuditChain walks audit_events in chain order and recomputes every hash:
// SHA-256 over the previous row's hash and the row's canonical content as
// audit_event_canonical renders it. It reports the first row whose content no
// longer matches its hash, whose hash is not what the next row chained to, a
// missing position (a deleted row), a row outside the chain, or a head that does
// not match the last row (rows cut off the end). The error is for failures to read.
func (s DB) VerifyAuditChain(ctx context.Context) (AuditChainReport, error) {
	const op = "store.VerifyAuditChain"
	var rep AuditChainReport
	var headSeq int64
	var headHash []byte
	if err := s.Pool.QueryRow(ctx, `SELECT last_seq, last_hash FROM audit_chain_head`).Scan(&headSeq, &headHash); err != nil {
		return rep, Translate(op, err)
	}
	rows, err := s.Pool.Query(ctx, `SELECT e.id, e.chain_seq, coalesce(e.nomination_id::text, ''), e.seq, e.prev_hash, e.hash,
			convert_to(audit_event_canonical(e), 'UTF8')
		FROM audit_events e ORDER BY e.chain_seq NULLS LAST, e.id`)
	if err != nil {
		return rep, Translate(op, err)
	}
	defer rows.Close()
	prev := make([]byte, sha256.Size)
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
	brk := func(r *row, pos int64, reason string) {
		rep.Break = &AuditBreak{ChainSeq: pos, ID: r.id, NominationID: r.nominationID, Seq: r.seq, Reason: reason}
	}
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.chainSeq, &r.nominationID, &r.seq, &r.prevHash, &r.hash, &r.canonical); err != nil {
			return rep, Translate(op, err)
		}
		want := rep.Events + 1
		switch {
		case r.chainSeq == nil || r.hash == nil || r.prevHash == nil:
			brk(&r, want, "the row is outside the chain (written with the chain trigger disabled)")
		case *r.chainSeq != want:
			rep.Break = &AuditBreak{ChainSeq: want, Reason: fmt.Sprintf("the row at this position is missing (deleted); the next present is event id %d at position %d", r.id, *r.chainSeq)}
		case !bytes.Equal(r.prevHash, prev):
			// The row before was rewritten with a recomputed hash, or this link was.
			if last != nil {
				brk(last, want-1, "its hash is not the one the next event chained to: the row was altered and its hash recomputed")
				rep.Events-- // the row named is not intact after all
			} else {
				brk(&r, want, "the first event does not start from the genesis hash")
			}
		default:
			h := sha256.New()
			h.Write(prev)
			h.Write(r.canonical)
			if sum := h.Sum(nil); !bytes.Equal(sum, r.hash) {
				brk(&r, want, "its content no longer matches its hash: the row was altered")
			}
		}
		if rep.Break != nil {
			rows.Close()
			return rep, nil
		}
		rep.Events++
		prev = r.hash
		last = &r
	}
	if err := rows.Err(); err != nil {
		return rep, Translate(op, err)
	}
	rep.Head = hex.EncodeToString(prev)
	if headSeq != rep.Events || !bytes.Equal(headHash, prev) {
		rep.Break = &AuditBreak{ChainSeq: rep.Events + 1,
			Reason: fmt.Sprintf("the chain head records %d events, %d remain: rows were removed from the end", headSeq, rep.Events)}
		if headSeq == rep.Events {
			rep.Break.Reason = "the chain head's hash differs from the last event's: the last row was altered"
			if last != nil {
				rep.Break.ID, rep.Break.ChainSeq, rep.Break.NominationID, rep.Break.Seq = last.id, rep.Events, last.nominationID, last.seq
			}
		}
	}
	return rep, nil
}
