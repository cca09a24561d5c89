package neo4j

import (
	"context"
	"errors"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/samverkan/samverkan/internal/kg"
)

// The constraint external_id_key_unique is what keeps an external id on
// one actor when two writers pass the write path's check at once: a claim
// of a key another actor's helper holds, made past the check (as the
// losing writer of a race makes it), fails the write with kg.ErrConflict
// (by the Neo4j error code), rolls it back, and leaves the holder as it
// was.
func TestExternalIDConstraintRefusesASecondHolder(t *testing.T) {
	s := openServer(t)
	ctx := context.Background()
	if err := s.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	x := kg.ExternalID{Scheme: "se-orgnr", Value: "222000-0315"}
	actor := func(id string, xs ...kg.ExternalID) *kg.Actor {
		return &kg.Actor{Meta: kg.Meta{ID: id, Name: id}, Kind: kg.KindCompany, Sector: kg.SectorPrivate, ExternalIDs: xs}
	}
	if _, err := s.UpsertNode(ctx, actor("holder", x)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertNode(ctx, actor("second")); err != nil {
		t.Fatal(err)
	}
	v0, _ := s.Version(ctx)
	_, err := write(ctx, s, "test", func(ctx context.Context, tx neo4j.ManagedTransaction) (struct{}, kg.Change, error) {
		q := txRunner(ctx, tx)
		stored, err := writeNodes(q, kg.LabelActor, []kg.Node{actor("second", x)})
		if err != nil {
			return struct{}{}, kg.Change{}, err
		}
		return struct{}{}, nodesChange(stored), syncExternalIDs(q, stored) // no ExternalIDOwners check first
	})
	var ke *kg.Error
	if !errors.Is(err, kg.ErrConflict) || !errors.As(err, &ke) || ke.Msg != msgConflict {
		t.Fatalf("a second holder past the check: %v, want the conflict %q", err, msgConflict)
	}
	if v, _ := s.Version(ctx); v != v0 {
		t.Errorf("the refused write moved the version %d → %d", v0, v)
	}
	if a, err := s.ActorByExternalID(ctx, x); err != nil || a == nil || a.ID != "holder" {
		t.Errorf("after the refusal ActorByExternalID = %v, %v; want holder", a, err)
	}
	nodes, err := s.GetNodes(ctx, []string{"second"})
	if err != nil || len(nodes) != 1 || nodes[0] == nil || len(nodes[0].(*kg.Actor).ExternalIDs) != 0 {
		t.Errorf("the refused write changed second: %v %v", nodes, err)
	}
}
