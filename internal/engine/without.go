package engine

// Without returns a snapshot of the same version in which the alive nodes
// drop picks are dead and every tie to them is gone, as if they had been
// deleted: Lookup does not find them, Edges never leads to them, and Count
// and RelCount leave them and their ties out. It shares with s everything
// it does not change (the chunks without a dropped node or a tie to one,
// the ids); s itself is unchanged. Without(nil) is s.
func (s *Snapshot) Without(drop func(Node) bool) *Snapshot {
	if drop == nil {
		return s
	}
	dead := make([]bool, s.slots)
	some := false
	for v := int32(0); v < s.slots; v++ {
		if r := s.rec(v); r.Alive && drop(r.Node) {
			dead[v], some = true, true
		}
	}
	if !some {
		return s
	}
	out := *s
	out.chunks = make([]*chunk, len(s.chunks))
	copy(out.chunks, s.chunks)
	copied := make([]bool, len(s.chunks))
	edit := func(v int32) *record {
		c := v >> chunkBits
		if !copied[c] {
			nc := *s.chunks[c]
			out.chunks[c], copied[c] = &nc, true
		}
		return &out.chunks[c][v&chunkMask]
	}
	for v := int32(0); v < s.slots; v++ {
		r := s.rec(v)
		if !r.Alive {
			continue
		}
		if dead[v] {
			out.labels[r.Label]--
			for _, e := range r.edges {
				if !dead[e.To] || e.To > v { // a tie between two dropped nodes counts once
					out.types[e.Type]--
				}
			}
			w := edit(v)
			w.Alive, w.edges = false, nil
			continue
		}
		keep := -1 // the first tie to drop, if any
		for i, e := range r.edges {
			if dead[e.To] {
				keep = i
				break
			}
		}
		if keep < 0 {
			continue
		}
		edges := make([]Edge, keep, len(r.edges)-1)
		copy(edges, r.edges[:keep])
		for _, e := range r.edges[keep+1:] {
			if !dead[e.To] {
				edges = append(edges, e)
			}
		}
		edit(v).edges = edges
	}
	return &out
}
