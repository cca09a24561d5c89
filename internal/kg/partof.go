package kg

import (
	"slices"
	"strings"
)

// PART_OF has no cycles (DESIGN.md §1.1): a unit is not part of itself,
// however many levels lie between. A write that would close a cycle is
// refused, naming the ids around it. The check runs inside the write's
// transaction over the store's PartOf lookup, so it sees every PART_OF the
// write depends on; on a store whose writers run concurrently the lookup
// locks the nodes it walks through, so two writes that each close half of
// a cycle are serialised and the second one sees the first.

// maxPartOfWalk bounds the nodes one check visits: a structure of units,
// programmes and series is shallow, and the bound keeps a pathological
// one from holding a write transaction open.
const maxPartOfWalk = 10_000

// checkPartOf refuses the PART_OF relationships in added (fields names each
// one's place in the input, for the error) that, together with the stored
// ones and each other, would form a cycle.
func checkPartOf(added []Rel, fields []string, lk Lookup) error {
	return CheckPartOf(added, fields, lk.PartOf)
}

// CheckPartOf is checkPartOf over a lookup of stored PART_OF targets, for
// a store's bulk path that has no Lookup (the embedded ImportDir).
func CheckPartOf(added []Rel, fields []string, partOf func(ids []string) (map[string][]string, error)) error {
	if len(added) == 0 {
		return nil
	}
	// parents: stored PART_OF targets, fetched a level at a time and kept,
	// plus the added ones.
	parents := map[string][]string{}
	fetched := map[string]bool{}
	for _, r := range added {
		parents[r.From] = append(parents[r.From], r.To)
	}
	fetch := func(ids []string) error {
		var need []string
		for _, id := range ids {
			if !fetched[id] {
				fetched[id] = true
				need = append(need, id)
			}
		}
		if len(need) == 0 {
			return nil
		}
		got, err := partOf(need)
		if err != nil {
			return err
		}
		for id, ps := range got {
			parents[id] = append(parents[id], ps...)
		}
		return nil
	}
	for i, r := range added {
		// Is r.From reachable from r.To over parents? Then r closes a cycle.
		prev := map[string]string{r.To: ""}
		level := []string{r.To}
		for len(level) > 0 {
			if len(prev) > maxPartOfWalk {
				return Invalid(fields[i], "the PART_OF structure above %q is deeper than %d nodes", r.To, maxPartOfWalk)
			}
			if err := fetch(level); err != nil {
				return err
			}
			var next []string
			for _, id := range level {
				for _, p := range parents[id] {
					if _, seen := prev[p]; seen {
						continue
					}
					prev[p] = id
					if p == r.From {
						return Invalid(fields[i], "PART_OF %s → %s would close a cycle: %s", r.From, r.To, cycleText(r, prev))
					}
					next = append(next, p)
				}
			}
			slices.Sort(next)
			level = next
		}
	}
	return nil
}

// cycleText is the cycle r closes, from r.From back to itself.
func cycleText(r Rel, prev map[string]string) string {
	// prev walks from r.From down to r.To: r.From ← … ← r.To.
	var chain []string
	for id := r.From; id != ""; id = prev[id] {
		chain = append(chain, id)
	}
	slices.Reverse(chain) // r.To … r.From
	return strings.Join(append([]string{r.From}, chain...), " → ")
}
