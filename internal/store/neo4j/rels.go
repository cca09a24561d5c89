package neo4j

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// setRelStmt: Cypher cannot take a relationship type as a parameter, so
// each type has its own MERGE statement.
var setRelStmt = map[kg.RelType]string{
	kg.RelParticipatesIn: stmtSetRelParticipatesIn,
	kg.RelHasCompetency:  stmtSetRelHasCompetency,
	kg.RelHasNeed:        stmtSetRelHasNeed,
	kg.RelRequires:       stmtSetRelRequires,
	kg.RelAddresses:      stmtSetRelAddresses,
	kg.RelMemberOf:       stmtSetRelMemberOf,
	kg.RelPartnersWith:   stmtSetRelPartnersWith,
	kg.RelPartOf:         stmtSetRelPartOf,
	kg.RelSupplies:       stmtSetRelSupplies,
}

// relKeyRow is one key of rels_by_key.cypher.
func relKeyRow(k kg.RelKey) map[string]any {
	return map[string]any{"type": string(k.Type), "from": k.From, "to": k.To}
}

// relsByKey loads the stored relationships with these keys, keyed by
// their kg.RelKey; a symmetric one is found whichever way it is stored.
func relsByKey(q queryRunner, keys []kg.RelKey) (map[kg.RelKey]*kg.Rel, error) {
	out := make(map[kg.RelKey]*kg.Rel, len(keys))
	err := chunks(keys, batchSize, func(part []kg.RelKey) error {
		rows := make([]any, len(part))
		for i, k := range part {
			rows[i] = relKeyRow(k)
		}
		recs, err := q(stmtRelsByKey, map[string]any{"keys": rows})
		if err != nil {
			return err
		}
		for _, r := range recs {
			if gone(r, "from", "to") {
				return fmt.Errorf("%s: an endpoint is gone: %w", stmtRelsByKey, errRaced)
			}
			rel, err := r.rel()
			if err != nil {
				return err
			}
			out[rel.Key()] = &rel
		}
		return nil
	})
	return out, err
}

// writeRels stores prepared relationships of one type; every row must come
// back, since validation saw both endpoints with the right labels.
func writeRels(q queryRunner, t kg.RelType, rels []kg.Rel) ([]kg.Rel, error) {
	name, ok := setRelStmt[t]
	if !ok {
		return nil, kg.Invalid("type", "%q is not a relationship type", t)
	}
	var out []kg.Rel
	err := chunks(rels, batchSize, func(part []kg.Rel) error {
		rows := make([]any, len(part))
		for i, r := range part {
			rows[i] = map[string]any{"from": r.From, "to": r.To, "props": relProps(r)}
		}
		recs, err := q(name, map[string]any{"rows": rows})
		if err != nil {
			return err
		}
		if len(recs) != len(part) {
			// An endpoint went between validation and the write.
			return fmt.Errorf("%s: %d of %d relationships written: %w", name, len(recs), len(part), errRaced)
		}
		for _, r := range recs {
			if gone(r, "from", "to") {
				// An endpoint deleted while this write waited for its lock.
				return fmt.Errorf("%s: an endpoint is gone: %w", name, errRaced)
			}
			rel, err := r.rel()
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}

// SetRel creates or replaces a relationship. kg.PlanSetRel refuses what
// it can without a round trip.
func (s *Store) SetRel(ctx context.Context, r kg.Rel) (kg.Rel, error) {
	plan, err := kg.PlanSetRel(r)
	if err != nil {
		return kg.Rel{}, err
	}
	return write(ctx, s, "setRel", func(ctx context.Context, tx neo4j.ManagedTransaction) (kg.Rel, kg.Change, error) {
		q := txRunner(ctx, tx)
		c, err := plan.Prepare(txLookup{q}, now())
		if err != nil {
			return kg.Rel{}, kg.Change{}, err
		}
		stored, err := writeRels(q, c.Type, []kg.Rel{c})
		if err != nil {
			return kg.Rel{}, kg.Change{}, err
		}
		return stored[0], relsChange(kg.Change{}, stored), nil
	})
}

// RemoveRel removes the relationship of type t between from and to.
// kg.PlanRemoveRel refuses bad arguments before the graph-wide write lock.
func (s *Store) RemoveRel(ctx context.Context, t kg.RelType, from, to string) (bool, error) {
	plan, err := kg.PlanRemoveRel(t, from, to)
	if err != nil {
		return false, err
	}
	_, err = write(ctx, s, "removeRel", func(ctx context.Context, tx neo4j.ManagedTransaction) (bool, kg.Change, error) {
		q := txRunner(ctx, tx)
		if err := plan.Prepare(txLookup{q}); err != nil {
			return false, kg.Change{}, err
		}
		recs, err := q(stmtRemoveRel, map[string]any{"type": string(t), "from": from, "to": to, "symmetric": t.Symmetric()})
		if err != nil {
			return false, kg.Change{}, err
		}
		if len(recs) != 1 {
			return false, kg.Change{}, fmt.Errorf("remove returned %d records", len(recs))
		}
		n, err := recs[0].integer("removed")
		if err != nil {
			return false, kg.Change{}, err
		}
		if n == 0 {
			return false, kg.Change{}, errNoChange
		}
		return true, kg.Change{RemovedRels: []kg.RelKey{kg.KeyOf(t, from, to)}}, nil
	})
	if errors.Is(err, errNoChange) {
		return false, nil
	}
	return err == nil, err
}

// RelsOf returns, per id, its relationships of type t in direction dir,
// in kg.SortRelsOf order.
func (s *Store) RelsOf(ctx context.Context, t kg.RelType, dir kg.Direction, ids []string) (map[string][]kg.Rel, error) {
	if err := kg.CheckRelsOf(t, dir); err != nil {
		return nil, err
	}
	name := map[kg.Direction]string{kg.Outgoing: stmtRelsOut, kg.Incoming: stmtRelsIn, kg.Both: stmtRelsBoth}[dir]
	out := map[string][]kg.Rel{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.query(ctx, "relsOf", name, map[string]any{"type": string(t), "ids": dedupe(ids)}, true)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if gone(r, "from", "to") {
			continue // an endpoint deleted while the statement read it
		}
		id, err := r.str("id")
		if err != nil {
			return nil, s.fail(ctx, "relsOf", err)
		}
		rel, err := r.rel()
		if err != nil {
			return nil, s.fail(ctx, "relsOf", err)
		}
		out[id] = append(out[id], rel)
	}
	for id, rels := range out {
		kg.SortRelsOf(id, rels)
	}
	return out, nil
}
