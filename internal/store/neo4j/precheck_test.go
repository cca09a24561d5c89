package neo4j

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/internal/kg"
)

// A Store without a driver panics on any round trip, so these tests also
// prove that input refused on its own never reaches the server (and never
// waits for the graph-wide write lock).

func TestUpsertRefusesInvalidNodesWithoutARoundTripAndLikeKg(t *testing.T) {
	valid := func() *kg.Actor {
		return &kg.Actor{Meta: kg.Meta{ID: "a", Name: "A"}, Kind: kg.KindCompany, Sector: kg.SectorPrivate}
	}
	tests := []struct {
		name  string
		edit  func(*kg.Actor)
		field string
	}{
		{"bad id", func(a *kg.Actor) { a.ID = "Bad ID" }, "id"},
		{"no name", func(a *kg.Actor) { a.Name = "  " }, "name"},
		{"name too long", func(a *kg.Actor) { a.Name = strings.Repeat("x", kg.MaxNameLen+1) }, "name"},
		{"unknown kind, no id", func(a *kg.Actor) { a.ID, a.Kind = "", "SPACESHIP" }, "kind"},
	}
	s := &Store{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.edit(in)
			_, got := s.UpsertNode(context.Background(), in)
			want := kg.PrepareNode(kg.Clone(in), nil, time.Now())
			var ke *kg.Error
			if !errors.As(got, &ke) || !errors.Is(got, kg.ErrInvalid) || want == nil || got.Error() != want.Error() {
				t.Fatalf("UpsertNode = %v, want kg's own refusal %v", got, want)
			}
			if !strings.HasPrefix(ke.Field, tt.field) {
				t.Errorf("field %q, want %q", ke.Field, tt.field)
			}
		})
	}
	if _, err := s.UpsertNode(context.Background(), (*kg.Need)(nil)); !errors.Is(err, kg.ErrInvalid) {
		t.Errorf("typed nil node: %v", err)
	}
}

func TestRemoveRelRefusesBadArgumentsWithoutARoundTrip(t *testing.T) {
	s := &Store{}
	tests := []struct {
		name     string
		t        kg.RelType
		from, to string
		field    string
	}{
		{"unknown type", "LIKES", "a", "b", "type"},
		{"bad from", kg.RelMemberOf, "A!", "b", "memberId"},
		{"bad to", kg.RelPartnersWith, "a", "", "partnerId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done, err := s.RemoveRel(context.Background(), tt.t, tt.from, tt.to)
			var ke *kg.Error
			if done || !errors.As(err, &ke) || !errors.Is(err, kg.ErrInvalid) || ke.Field != tt.field {
				t.Fatalf("RemoveRel = %v, %v; want an invalid-input error on %s", done, err, tt.field)
			}
		})
	}
}
