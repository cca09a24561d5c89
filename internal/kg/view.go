package kg

import (
	"cmp"
	"context"
	"slices"

	"github.com/samverkan/samverkan/internal/engine"
)

// view is one analytic's read of the topology: the snapshot and scratch
// space sized to it, taken from a pool so that a request allocates
// nothing per node.
type view struct {
	s   *engine.Snapshot
	day int32 // asOf as a topology day: only the ties active then (asof.go); 0 sees every tie
}

// topology returns the store's current snapshot.
func (a *Analytics) topology(ctx context.Context) (view, error) {
	if err := ctx.Err(); err != nil {
		return view{}, timeoutErr(err)
	}
	s, err := a.store.Topology(ctx)
	if err != nil {
		return view{}, err
	}
	return view{s: s}, nil
}

// node finds id as a node of label want (any label when want is empty),
// naming field in the error: NotFound when there is none, Invalid when it
// has another label ("%q is a Project, not an actor").
func (v view) node(field, id string, want Label, noun string) (int32, error) {
	x, ok := v.s.Lookup(id)
	if !ok {
		return -1, WithField(NotFound(id), field)
	}
	if l := LabelOfCode(v.s.Node(x).Label); want != "" && l != want {
		return -1, Invalid(field, "%q is a %s, not %s", id, l, noun)
	}
	return x, nil
}

func (v view) label(x int32) Label { return LabelOfCode(v.s.Node(x).Label) }

func (v view) isActor(x int32) bool { return v.s.Node(x).Label == LabelCode(LabelActor) }

// byID sorts dense ids by their string ids.
func (v view) byID(xs []int32) {
	slices.SortFunc(xs, func(a, b int32) int { return cmp.Compare(v.s.ID(a), v.s.ID(b)) })
}

// ids returns the string ids of xs, sorted.
func (v view) ids(xs []int32) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = v.s.ID(x)
	}
	slices.Sort(out)
	return out
}

// out returns the ends of x's outgoing ties of type t, each once.
func (v view) out(x int32, t RelType) []int32 {
	c := TypeCode(t)
	var res []int32
	for _, e := range v.s.Edges(x) {
		if e.Type == c && e.Out && v.sees(x, e) {
			res = append(res, e.To)
		}
	}
	slices.Sort(res)
	return slices.Compact(res)
}

// collaborators returns x's collaborators (DESIGN.md §2): actors that take
// part in a project with x or are joined to x by MEMBER_OF or
// PARTNERS_WITH, each once, x left out, by dense id. PART_OF between
// actors (a unit and its organisation) joins them as MEMBER_OF does;
// SUPPLIES does not (§1.1: a supplier is not a collaborator).
func (v view) collaborators(x int32) []int32 {
	part, member, partner, partOf := TypeCode(RelParticipatesIn), TypeCode(RelMemberOf), TypeCode(RelPartnersWith), TypeCode(RelPartOf)
	var res []int32
	for _, e := range v.s.Edges(x) {
		if !v.sees(x, e) {
			continue
		}
		switch {
		case e.Type == member || e.Type == partner || e.Type == partOf:
			res = append(res, e.To)
		case e.Type == part && e.Out:
			for _, f := range v.s.Edges(e.To) {
				if f.Type == part && !f.Out && f.To != x && v.sees(e.To, f) {
					res = append(res, f.To)
				}
			}
		}
	}
	slices.Sort(res)
	return slices.Compact(res)
}

// relKey is the key of the relationship e of node x.
func (v view) relKey(x int32, e engine.Edge) RelKey {
	if e.Out {
		return RelKey{Type: TypeOfCode(e.Type), From: v.s.ID(x), To: v.s.ID(e.To)}
	}
	return RelKey{Type: TypeOfCode(e.Type), From: v.s.ID(e.To), To: v.s.ID(x)}
}

// keyBefore orders relationship keys by (type in RelTypes order, from, to).
func keyBefore(a, b RelKey) bool {
	return CompareLinks(a.Type, a.From, a.To, b.Type, b.From, b.To) < 0
}

// marks is a reusable per-node scratch array of int32, reset by the ids it
// touched, so that a traversal over a big graph allocates once per pool
// entry, not per request.
type marks struct {
	val     []int32
	touched []int32
}

// marksFree keeps released scratch arrays. Unlike a sync.Pool it is not
// emptied by the garbage collector, so a steady load never pays for a
// fresh array the size of the graph.
var marksFree = make(chan *marks, 16)

// getMarks returns scratch space for n nodes, every value unset (-1).
func getMarks(n int32) *marks {
	var m *marks
	select {
	case m = <-marksFree:
	default:
		m = &marks{}
	}
	if int32(len(m.val)) < n {
		m.val = make([]int32, n+n/8)
		for i := range m.val {
			m.val[i] = -1
		}
	}
	return m
}

func (m *marks) get(x int32) int32 { return m.val[x] }

func (m *marks) set(x, d int32) {
	if m.val[x] < 0 {
		m.touched = append(m.touched, x)
	}
	m.val[x] = d
}

func (m *marks) has(x int32) bool { return m.val[x] >= 0 }

// release resets what was touched and gives the space back.
func (m *marks) release() {
	for _, x := range m.touched {
		m.val[x] = -1
	}
	m.touched = m.touched[:0]
	select {
	case marksFree <- m:
	default:
	}
}

// timeoutErr maps a context error to ErrTimeout, keeping the cause.
func timeoutErr(err error) error {
	return &Error{Kind: ErrTimeout, Msg: "the request took longer than its deadline: " + err.Error()}
}
