package seed

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// The national skeleton: the 34 provinces of 2025-07-01 (Resolution 202/2025/QH15)
// under the central level, each with as many commune-level units of each kind as the
// statistics office lists (data/provinces-2025.csv: 3,321 communes, 2,621 xã, 687
// phường, 13 đặc khu). Lạng Sơn is the demo's province with its 65 real communes
// (data/lang-son-2025.csv, the same ids Today gives them); the other provinces' real
// names are shipped, their communes' names are not and are generated ("UBND xã số 12
// – Cao Bằng"). Every unit is in force from 2025-07-01, except the central level and
// Lạng Sơn when the demo already holds them.

// NationalProvinces and NationalCommunes are the sizes of the skeleton.
const (
	NationalProvinces = 34
	NationalCommunes  = 3321
)

// Lạng Sơn's code in the statistics office's list of provinces.
const langSonCode = "20"

// subkindSpecial is a special zone (đặc khu), a commune-level unit of an island.
const subkindSpecial = "dac_khu"

// NationalProvince is one province of the skeleton with its counts of communes.
type NationalProvince struct {
	ID, Code, Name, Subkind string
	Communes                int
	// ByKind counts the communes by subkind (xa, phuong, dac_khu).
	ByKind map[string]int
	// RealNames is true where the communes' official names are shipped (Lạng Sơn).
	RealNames bool
}

// NationalUnit is one unit of the skeleton.
type NationalUnit struct {
	ID, ParentID, Name, Level, Kind, Subkind, Code string
	// Generated is true for a commune whose name is made up.
	Generated bool
}

// NationalTree is the skeleton: its provinces, and its units parents first (the
// central level, the provinces, then each province's communes).
type NationalTree struct {
	Provinces []NationalProvince
	Units     []NationalUnit
}

// NationalSkeleton reads the skeleton from the shipped lists.
func NationalSkeleton() (NationalTree, error) {
	var t NationalTree
	recs, err := readList("provinces-2025.csv")
	if err != nil {
		return t, err
	}
	ls, err := readList("lang-son-2025.csv")
	if err != nil {
		return t, err
	}
	t.Units = append(t.Units, NationalUnit{ID: Central, Name: centralName, Level: levelCentral, Kind: "government"})
	var communes []NationalUnit
	for _, r := range recs {
		if len(r) != 7 {
			return t, fmt.Errorf("provinces-2025.csv: %d fields in %v", len(r), r)
		}
		p := NationalProvince{ID: "P" + r[0], Code: r[0], Name: r[1], Subkind: r[2], ByKind: map[string]int{}}
		for i, k := range []string{subkindCommune, subkindWard, subkindSpecial} {
			n, err := strconv.Atoi(r[4+i])
			if err != nil {
				return t, fmt.Errorf("provinces-2025.csv: %s: %w", r[1], err)
			}
			p.ByKind[k] = n
			p.Communes += n
		}
		if total, err := strconv.Atoi(r[3]); err != nil || total != p.Communes {
			return t, fmt.Errorf("provinces-2025.csv: %s: %s communes in all, %d by kind", r[1], r[3], p.Communes)
		}
		name := "UBND tỉnh " + p.Name
		if p.Subkind == subkindCity {
			name = "UBND thành phố " + p.Name
		}
		if p.Code == langSonCode {
			p.ID, p.RealNames = Province, true
			byKind := map[string]int{}
			for _, c := range ls {
				communes = append(communes, NationalUnit{ID: "LS-" + c[0], ParentID: Province, Name: committeeName(c[2], c[1]),
					Level: levelCommune, Kind: "people_committee", Subkind: c[2], Code: c[0]})
				byKind[c[2]]++
			}
			for k, n := range p.ByKind {
				if byKind[k] != n {
					return t, fmt.Errorf("lang-son-2025.csv has %d units of kind %s, provinces-2025.csv %d", byKind[k], k, n)
				}
			}
		} else {
			n := 0
			for _, k := range []string{subkindWard, subkindCommune, subkindSpecial} {
				for i := 1; i <= p.ByKind[k]; i++ {
					n++
					communes = append(communes, NationalUnit{ID: fmt.Sprintf("%s-%03d", p.ID, n), ParentID: p.ID,
						Name:  committeeName(k, fmt.Sprintf("số %d – %s", i, p.Name)),
						Level: levelCommune, Kind: "people_committee", Subkind: k, Generated: true})
				}
			}
		}
		t.Provinces = append(t.Provinces, p)
		t.Units = append(t.Units, NationalUnit{ID: p.ID, ParentID: Central, Name: name, Level: levelProvince,
			Kind: "people_committee", Subkind: subkindProvince, Code: p.Code})
	}
	t.Units = append(t.Units, communes...)
	if len(t.Provinces) != NationalProvinces || len(communes) != NationalCommunes {
		return t, fmt.Errorf("national skeleton: %d provinces and %d communes, want %d and %d",
			len(t.Provinces), len(communes), NationalProvinces, NationalCommunes)
	}
	return t, nil
}

// NationalReport says what National did.
type NationalReport struct {
	Provinces, Communes int
	// Created counts the units inserted; 0 when the skeleton was already there.
	Created int
	// Generated counts the communes in force whose names are generated, Real those
	// with their official names (Lạng Sơn's).
	Generated, Real int
	AlreadyApplied  bool
}

// National loads the national skeleton in one transaction. Units already there
// (the central level and Lạng Sơn of the demo, or a previous run) are kept, so a
// second run creates nothing. It then checks, for every province, the communes in
// force on 2025-07-01 and today against the official counts by kind, and refuses
// (rolling back) a database where they differ: a province holding other communes,
// or a unit id of the skeleton taken by another unit.
func National(ctx context.Context, db DB) (NationalReport, error) {
	var rep NationalReport
	t, err := NationalSkeleton()
	if err != nil {
		return rep, err
	}
	err = inTx(ctx, db, func(tx DB) error {
		if err := reference(ctx, tx); err != nil { // the levels the units refer to
			return err
		}
		n := len(t.Units)
		ids, parents, names, levels, kinds, subkinds, codes := make([]string, n), make([]*string, n), make([]string, n),
			make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		for i, u := range t.Units {
			ids[i], names[i], levels[i], kinds[i], subkinds[i], codes[i] = u.ID, u.Name, u.Level, u.Kind, u.Subkind, u.Code
			if u.ParentID != "" {
				parents[i] = &t.Units[i].ParentID
			}
		}
		tag, err := tx.Exec(ctx,
			`INSERT INTO units (id, parent_id, name, level, kind, subkind, code, valid_from)
			 SELECT u.id, u.parent_id, u.name, u.level, u.kind, u.subkind, u.code, $8::date
			 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
			      WITH ORDINALITY AS u(id, parent_id, name, level, kind, subkind, code, n)
			 ORDER BY u.n
			 ON CONFLICT (id) DO NOTHING`,
			ids, parents, names, levels, kinds, subkinds, codes, Reform2025)
		if err != nil {
			return fmt.Errorf("seed national: units: %w", err)
		}
		rep.Created = int(tag.RowsAffected())
		rep.AlreadyApplied = rep.Created == 0
		for _, day := range []string{Reform2025, time.Now().Format(time.DateOnly)} {
			for _, p := range t.Provinces {
				got := map[string]int{}
				rows, err := tx.Query(ctx, `SELECT subkind, count(*) FROM units WHERE parent_id = $1 AND level = $2
					AND valid_from <= $3::date AND (valid_to IS NULL OR valid_to > $3::date) GROUP BY subkind`, p.ID, levelCommune, day)
				if err != nil {
					return fmt.Errorf("seed national: count %s: %w", p.ID, err)
				}
				for rows.Next() {
					var k string
					var c int
					if err := rows.Scan(&k, &c); err != nil {
						rows.Close()
						return err
					}
					got[k] = c
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				for k, c := range got {
					if p.ByKind[k] != c {
						return fmt.Errorf("seed national: %s %s has %d communes of kind %q in force on %s, the official list %d: not a database the national skeleton fits",
							p.ID, p.Name, c, k, day, p.ByKind[k])
					}
				}
				for k, c := range p.ByKind {
					if got[k] != c {
						return fmt.Errorf("seed national: %s %s has %d communes of kind %q in force on %s, the official list %d: not a database the national skeleton fits",
							p.ID, p.Name, got[k], k, day, c)
					}
				}
			}
		}
		for _, p := range t.Provinces {
			rep.Provinces++
			rep.Communes += p.Communes
			if p.RealNames {
				rep.Real += p.Communes
			} else {
				rep.Generated += p.Communes
			}
		}
		return nil
	})
	return rep, err
}
