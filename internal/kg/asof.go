package kg

import (
	"context"

	"github.com/samverkan/samverkan/internal/engine"
)

// Time (DESIGN.md §2.1): every analytic takes asOf, a date, and then sees
// only the ties active at that date; the nodes stay, those left without
// ties included. Without asOf it sees every tie, as in the first version.
//
// A tie is active at day d (DESIGN.md §1.1) when its from is open or ≤ d
// and its to is open or ≥ d. The dated ties are PARTICIPATES_IN, MEMBER_OF,
// PARTNERS_WITH (since is its from when it has no from), SUPPLIES and
// PART_OF; a participation's open end takes its project's startDate or
// endDate (each end on its own: a participation with a from but no to
// ends with its project). HAS_COMPETENCY, HAS_NEED, REQUIRES and ADDRESSES
// carry no dates and are always active. Project.status is never read: it
// stays as stored.
//
// # Adoption recipe: how an analytic applies asOf
//
//  1. Schema: add `asOf: Date` to the root field (schema/*.graphqls), with
//     the one-line doc "Only the ties active at this date (DESIGN.md §2.1)";
//     the resolver passes it on with dateOf(asOf) into the query's AsOf.
//  2. Query struct: an `AsOf Date` field ("" is none).
//  3. Per-request analytics: take the view with a.topologyAt(ctx, q.AsOf)
//     instead of a.topology(ctx): it refuses a bad asOf (BAD_USER_INPUT
//     naming asOf) and returns a view that knows the day.
//     Whole-graph analytics: w, day, err := a.wholeAt(ctx, q.AsOf); then
//     key.day = day on the collabKey, and w.at(day) wherever w.view was
//     read. Everything cached per collabKey (w.of(key)) is then per day,
//     and background work started from it takes w.of(key).ctx, which ends
//     when the entry is dropped (at most maxDatedGraphs days are kept per
//     version, so asOf cannot grow memory without bound).
//  4. Every loop over v.s.Edges(x) skips the ties the view does not see:
//     `if !v.sees(x, e) { continue }`. The helpers (v.out, v.collaborators,
//     v.organisations, v.affiliates, v.own, buildCollab) already do.
//     Counting relationships: v.relCount(t), not s.RelCount.
//  5. Tests: a case in internal/store/storetest/asof.go (both stores) with
//     an answer that differs before, during and after a tie's period, and
//     one through the GraphQL handler.

// maxDatedGraphs bounds the dated entries (asOf given) a graph version
// keeps of whole-graph analytics; the least recently used goes first.
const maxDatedGraphs = 8

// minAsOf is the earliest asOf: the topology counts days from 1970-01-01
// (day 1) and keeps 0 for an open end.
const minAsOf = Date("1970-01-01")

// parseAsOf checks asOf and returns its day in the topology's count; 0
// for none.
func parseAsOf(asOf Date) (int32, error) {
	if asOf == "" {
		return 0, nil
	}
	if !asOf.Valid() {
		return 0, Invalid("asOf", "%q is not a date of the form YYYY-MM-DD", clip(string(asOf)))
	}
	if asOf < minAsOf {
		return 0, Invalid("asOf", "%q is before %s, the earliest date the analytics know", asOf, minAsOf)
	}
	return dayOf(asOf), nil
}

// topologyAt is topology seen at asOf ("" sees every tie).
func (a *Analytics) topologyAt(ctx context.Context, asOf Date) (view, error) {
	day, err := parseAsOf(asOf)
	if err != nil {
		return view{}, err
	}
	v, err := a.topology(ctx)
	v.day = day
	return v, err
}

// wholeAt is whole with asOf checked and turned into its day.
func (a *Analytics) wholeAt(ctx context.Context, asOf Date) (*wholeGraph, int32, error) {
	day, err := parseAsOf(asOf)
	if err != nil {
		return nil, 0, err
	}
	w, err := a.whole(ctx)
	return w, day, err
}

// at is the version's view seen at day (0: every tie).
func (w *wholeGraph) at(day int32) view {
	v := w.view
	v.day = day
	return v
}

// sees reports whether the view sees e, a tie of x: every tie without a
// day, else the ties active at the day.
func (v view) sees(x int32, e engine.Edge) bool {
	if v.day == 0 {
		return true
	}
	start, end := e.Start, e.End
	if e.Type == partCode && (start == 0 || end == 0) {
		p := x // the project: the tie's To side
		if e.Out {
			p = e.To
		}
		n := v.s.Node(p)
		if start == 0 {
			start = n.Start
		}
		if end == 0 {
			end = n.End
		}
	}
	return (start == 0 || start <= v.day) && (end == 0 || v.day <= end)
}

var partCode = TypeCode(RelParticipatesIn)

// relCount is the number of relationships of type t the view sees.
func (v view) relCount(t RelType) int {
	c := TypeCode(t)
	if v.day == 0 || !t.Dated() {
		return v.s.RelCount(c)
	}
	n := 0
	for x := range v.s.Slots() {
		if !v.s.Alive(x) {
			continue
		}
		for _, e := range v.s.Edges(x) {
			if e.Type == c && e.Out && v.sees(x, e) {
				n++
			}
		}
	}
	return n
}
