package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// External ids (kg.ExternalID). An actor stores its own as the property
// externalIds, a list of keys (kg.ExternalID.Key, scheme:value), which
// every actor projection returns; each key also has a helper node
// (:ExternalId {key})-[:IDENTIFIES]->(actor), unique by the constraint
// external_id_key_unique, which makes "one actor per external id" hold
// under concurrent writers and serves the lookup. Helpers carry no :Node
// label: no statement over the graph's nodes or relationships sees them.

const (
	stmtActorByExternalID          = "actor_by_external_id"
	stmtExternalIDsClaim           = "external_ids_claim"
	stmtExternalIDsDeleteAll       = "external_ids_delete_all"
	stmtExternalIDsDeleteOf        = "external_ids_delete_of"
	stmtExternalIDsOwners          = "external_ids_owners"
	stmtExternalIDsRelease         = "external_ids_release"
	stmtMigrateExternalIDKeyUnique = "migrate_external_id_key_unique"
)

// externalIDKeys is the externalIds property of an actor.
func externalIDKeys(xs []kg.ExternalID) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.Key()
	}
	return out
}

// externalIDsFrom reads the externalIds property back.
func externalIDsFrom(keys []string) []kg.ExternalID {
	if len(keys) == 0 {
		return nil
	}
	out := make([]kg.ExternalID, 0, len(keys))
	for _, k := range keys {
		if x, ok := kg.ParseExternalIDKey(k); ok {
			out = append(out, x)
		}
	}
	return out
}

// syncExternalIDs makes the helpers of the actors among nodes (as stored)
// exactly their external ids: every release first, then every claim.
func syncExternalIDs(q queryRunner, nodes []kg.Node) error {
	var rows []any
	claims := false
	for _, n := range nodes {
		if a, ok := n.(*kg.Actor); ok {
			rows = append(rows, map[string]any{"id": a.ID, "keys": externalIDKeys(a.ExternalIDs)})
			claims = claims || len(a.ExternalIDs) > 0
		}
	}
	if len(rows) == 0 {
		return nil
	}
	stmts := []string{stmtExternalIDsRelease, stmtExternalIDsClaim}
	if !claims {
		stmts = stmts[:1] // actors without external ids only release what they had
	}
	for _, stmt := range stmts {
		if err := chunks(rows, batchSize, func(part []any) error {
			_, err := q(stmt, map[string]any{"rows": part})
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// ExternalIDOwners reads who holds each external id, for the write path's
// check; the constraint catches a concurrent writer.
func (l txLookup) ExternalIDOwners(ids []kg.ExternalID) (map[kg.ExternalID]string, error) {
	keys := externalIDKeys(ids)
	recs, err := l.q(stmtExternalIDsOwners, map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	out := map[kg.ExternalID]string{}
	for _, r := range recs {
		key, err := r.str("key")
		if err != nil {
			return nil, err
		}
		id, err := r.str("id")
		if err != nil {
			return nil, err
		}
		if x, ok := kg.ParseExternalIDKey(key); ok {
			out[x] = id
		}
	}
	return out, nil
}

// ActorByExternalID returns the actor holding x, nil when none does.
func (s *Store) ActorByExternalID(ctx context.Context, x kg.ExternalID) (*kg.Actor, error) {
	x, err := kg.CheckExternalIDQuery(x)
	if err != nil {
		return nil, err
	}
	return read(ctx, s, "actorByExternalId", func(ctx context.Context, tx neo4j.ManagedTransaction) (*kg.Actor, error) {
		recs, err := run(ctx, tx, stmtActorByExternalID, map[string]any{"key": x.Key()})
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		n, err := recs[0].nodeOf(kg.LabelActor)
		if err != nil {
			return nil, err
		}
		a, _ := n.(*kg.Actor)
		return a, nil
	})
}
