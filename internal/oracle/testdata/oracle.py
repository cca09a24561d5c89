#!/usr/bin/env python3
"""Independent answers to Samverkan's analytics, computed with NetworkX.

Reads one JSON object from stdin:

  {"nodes": [{"id", "label", "kind", "sector", "type"}...],
   "rels":  [{"type", "from", "to", "level", "importance", "role"}...],
   "paths":   [{"from", "to", "types": [...], "exclude": [...], "maxHops", "k"}...],
   "overlap": [{"actors": [...]}...],
   "similar": [{"id", "dims": [...], "scope"}...],
   "match":   [{"need", "minLevel", "maxHops", "excludeEngaged"}...],
   "consortium": [{"need", "maxSize"}...],
   "betweenness": bool, "stats": bool,
   "graphs": [{"scope", "kinds": [...]}...],
   "betweennessSources": [...], "simplePathsSeconds": float}

and writes one JSON object with the answers, in the same order, to stdout.
"betweenness" and "stats" (exact, on the whole collaboration graph) are
left out when false; "betweennessSources", when given, asks for the sampled
betweenness estimate from those source actors ("sampledBetweenness").
"graphs" asks, per scope (ALL or ORGANISATIONS, DESIGN.md section 2.1) and
kinds filter, for the exact betweenness and the graph measures of that
collaboration graph ("graphs", in the same order).
Semantics follow DESIGN.md section 2; nothing here shares code with the Go
implementation under test.
"""

import json
import sys
import time
from functools import cmp_to_key
from itertools import combinations

import networkx as nx

# Enumerating all shortest paths or all short simple paths can explode; the
# oracle gives up (answers null) beyond these bounds rather than hang. On
# the generated graphs of the tests neither bound is reached: each question
# takes well under a second.
SHORTEST_CAP = 1000
SIMPLE_PATHS_CAP = 20000
SIMPLE_PATHS_SECONDS = 30.0
# Above this many actors normalised betweenness is scaled from the raw run
# instead of a second NetworkX run, which would take several seconds.
NX_NORMALIZED_MAX = 1000

DEFAULT_VIA = {"PARTICIPATES_IN", "MEMBER_OF", "PART_OF", "PARTNERS_WITH"}
# Collaboration (DESIGN.md section 2): a shared project, MEMBER_OF or
# PARTNERS_WITH, and PART_OF between actors (a unit and its organisation);
# never SUPPLIES.
DIRECT_COLLABORATION = ("MEMBER_OF", "PARTNERS_WITH", "PART_OF")


class Affiliation:
    """DESIGN.md section 1.1: X is affiliated with Y when X is a PERSON and
    MEMBER_OF Y, or X is PART_OF Y, transitively; a person in a unit is
    also affiliated with what the unit is PART_OF (Samverkan's reading of
    "transitively", README). A person's organisations are the non-PERSON
    actors it is affiliated with."""

    def __init__(self, nodes, rels):
        self.kind = {n["id"]: n.get("kind") for n in nodes if n["label"] == "Actor"}
        self.member = {}
        self.part_of = {}
        for r in rels:
            f, t = r["from"], r["to"]
            if r["type"] == "MEMBER_OF" and self.kind.get(f) == "PERSON" and self.kind.get(t) not in (None, "PERSON"):
                self.member.setdefault(f, set()).add(t)
            elif r["type"] == "PART_OF" and f in self.kind and t in self.kind:
                self.part_of.setdefault(f, set()).add(t)
        self.up = {a: self._up(a) for a in self.kind}
        self.affiliates = {a: set() for a in self.kind}
        for a, ups in self.up.items():
            for y in ups:
                self.affiliates[y].add(a)

    def _up(self, a):
        seen, todo = set(), list(self.member.get(a, ())) + list(self.part_of.get(a, ()))
        while todo:
            y = todo.pop()
            if y in seen:
                continue
            seen.add(y)
            todo.extend(self.part_of.get(y, ()))
        seen.discard(a)
        return seen

    def person(self, a):
        return self.kind.get(a) == "PERSON"

    def organisations(self, a):
        return {y for y in self.up[a] if not self.person(y)}

    def own(self, a):
        """a, what a is affiliated with and what is affiliated with a."""
        return {a} | self.up[a] | self.affiliates[a]


def traversal_graph(nodes, rels, types):
    """Undirected simple graph over every node, with an edge wherever a
    relationship of one of the types joins two nodes. Parallel
    relationships collapse into one edge: a path is a sequence of nodes."""
    m = nx.MultiGraph()
    m.add_nodes_from(n["id"] for n in nodes)
    for r in rels:
        if r["type"] in types:
            m.add_edge(r["from"], r["to"], type=r["type"])
    return nx.Graph(m)


def first_k_paths(g, s, t, k, max_hops, d, seconds):
    """The first k simple paths of length <= max_hops in the order (length,
    node ids), or None when there are too many to enumerate. For each
    bound L it enumerates, with NetworkX, the simple paths of length <= L on
    the nodes that can lie on one (dist(s,v) + dist(v,t) <= L)."""
    ds = nx.single_source_shortest_path_length(g, s, cutoff=max_hops)
    dt = nx.single_source_shortest_path_length(g, t, cutoff=max_hops)
    deadline = time.monotonic() + seconds
    for bound in range(d, max_hops + 1):
        keep = [v for v in ds if v in dt and ds[v] + dt[v] <= bound]
        h = g.subgraph(keep)
        found = []
        for p in nx.all_simple_paths(h, s, t, cutoff=bound):
            found.append(p)
            if len(found) > SIMPLE_PATHS_CAP or time.monotonic() > deadline:
                return None
        if len(found) >= k or bound == max_hops:
            found.sort(key=lambda p: (len(p), p))
            return found[:k]
    return []


def answer_path(nodes, rels, q, cache, seconds):
    key = tuple(sorted(q["types"]))
    if key not in cache:
        cache[key] = traversal_graph(nodes, rels, set(q["types"]))
    g = cache[key]
    excluded = set(q.get("exclude") or [])
    if excluded:
        g = g.subgraph([v for v in g if v not in excluded])
    s, t = q["from"], q["to"]
    out = {"length": -1, "count": 0, "capped": False, "shortest": None, "first": None}
    try:
        d = nx.shortest_path_length(g, s, t)
    except nx.NetworkXNoPath:
        out["first"] = []
        return out
    out["length"] = d
    count = 0
    paths = []
    for p in nx.all_shortest_paths(g, s, t):
        count += 1
        if count <= 10:
            paths.append(p)
        if count >= SHORTEST_CAP:
            out["capped"] = True
            break
    out["count"] = count
    if count <= 10:
        out["shortest"] = sorted(paths)
    if d <= q["maxHops"]:
        out["first"] = first_k_paths(g, s, t, q["k"], q["maxHops"], d, seconds)
    else:
        out["first"] = []
    return out


def answer_match(nodes, rels, q, cache):
    """Need matching: candidates, coverage, distance to the nearest owner
    over the default via, and the order of DESIGN.md section 2."""
    need, min_level, max_hops = q["need"], q["minLevel"], q["maxHops"]
    required = {r["to"]: r["importance"] for r in rels if r["type"] == "REQUIRES" and r["from"] == need}
    owners = {r["from"] for r in rels if r["type"] == "HAS_NEED" and r["to"] == need}
    # Section 2.1: never an owner's own people or organisations; with
    # excludeEngaged, not those taking part in a project addressing it.
    if "affiliation" not in cache:
        cache["affiliation"] = Affiliation(nodes, rels)
    barred = set().union(*(cache["affiliation"].own(o) for o in owners)) if owners else set()
    if q.get("excludeEngaged"):
        projects = {r["from"] for r in rels if r["type"] == "ADDRESSES" and r["to"] == need}
        barred |= {r["from"] for r in rels if r["type"] == "PARTICIPATES_IN" and r["to"] in projects}
    held = {}
    for r in rels:
        if (r["type"] == "HAS_COMPETENCY" and r["to"] in required and r["level"] >= min_level
                and r["from"] not in barred):
            held.setdefault(r["from"], {})[r["to"]] = r["level"]
    key = tuple(sorted(DEFAULT_VIA))
    if key not in cache:
        cache[key] = traversal_graph(nodes, rels, DEFAULT_VIA)
    dist = {}
    if owners:
        dist = nx.multi_source_dijkstra_path_length(cache[key], owners, cutoff=max_hops)
    total = sum(required.values())
    ranking = []
    for a, levels in held.items():
        covered = [{"competencyId": c, "importance": required[c], "level": levels[c]} for c in sorted(levels)]
        missing = [{"competencyId": c, "importance": required[c]} for c in sorted(required) if c not in levels]
        imp = sum(x["importance"] for x in covered)
        ranking.append({"id": a, "coverage": imp / total, "imp": imp, "distance": dist.get(a),
                        "levelSum": sum(x["level"] for x in covered), "covered": covered, "missing": missing})
    inf = float("inf")
    ranking.sort(key=lambda m: (-m["imp"], inf if m["distance"] is None else m["distance"],
                                -m["levelSum"], m["id"]))
    return {"ranking": ranking}


def answer_consortium(nodes, rels, q, cache):
    """Consortium (DESIGN.md sections 2 and 2.1): greedy weighted set cover
    over the need-matching candidates at the defaults (minLevel 1, maxHops
    4), ties to the earlier candidate; once an actor is chosen, its own
    people and organisations are not."""
    ranking = answer_match(nodes, rels, {"need": q["need"], "minLevel": 1, "maxHops": 4}, cache)["ranking"]
    required = {r["to"]: r["importance"] for r in rels if r["type"] == "REQUIRES" and r["from"] == q["need"]}
    total = sum(required.values())
    missing, barred, members, covered = set(required), set(), [], 0
    while len(members) < q["maxSize"] and covered < total:
        best, best_gain = None, 0
        for m in ranking:
            if m["id"] in barred:
                continue
            gain = sum(c["importance"] for c in m["covered"] if c["competencyId"] in missing)
            if gain > best_gain:
                best, best_gain = m, gain
        if best is None:
            break
        members.append(best["id"])
        missing -= {c["competencyId"] for c in best["covered"]}
        covered += best_gain
        barred |= cache["affiliation"].own(best["id"])
    return {"members": members, "coverage": covered / total if total else 0.0}


class Neighbours:
    """Per-actor neighbour sets of DESIGN.md section 2."""

    def __init__(self, nodes, rels):
        self.actors = sorted(n["id"] for n in nodes if n["label"] == "Actor")
        self.sets = {a: {"PROJECTS": set(), "COMPETENCIES": set(), "NEEDS": set(),
                         "COLLABORATORS": set()} for a in self.actors}
        members = {}
        for r in rels:
            f, t, typ = r["from"], r["to"], r["type"]
            if typ == "PARTICIPATES_IN":
                self.sets[f]["PROJECTS"].add(t)
                members.setdefault(t, set()).add(f)
            elif typ == "HAS_COMPETENCY":
                self.sets[f]["COMPETENCIES"].add(t)
            elif typ == "HAS_NEED":
                self.sets[f]["NEEDS"].add(t)
            elif typ in DIRECT_COLLABORATION and f in self.sets and t in self.sets:
                self.sets[f]["COLLABORATORS"].add(t)
                self.sets[t]["COLLABORATORS"].add(f)
        for ms in members.values():
            for a in ms:
                self.sets[a]["COLLABORATORS"] |= ms - {a}

    def of(self, actor, dims, leave_out):
        out = set()
        for d in dims:
            s = self.sets[actor][d]
            if d == "COLLABORATORS":
                s = s - leave_out
            out |= s
        return out


def jaccard(a, b):
    u = len(a | b)
    return len(a & b) / u if u else 0.0


def answer_overlap(nb, q):
    actors = q["actors"]
    given = set(actors)
    out = {}
    for d in ("PROJECTS", "COMPETENCIES", "NEEDS", "COLLABORATORS"):
        common = set.intersection(*(nb.of(a, [d], given) for a in actors))
        out[d.lower()] = sorted(common)
    comps = {a: nb.sets[a]["COMPETENCIES"] for a in actors}
    out["complementary"] = [
        sorted(comps[a] - set().union(*(comps[b] for b in actors if b != a))) for a in actors]
    out["jaccard"] = None
    if len(actors) == 2:
        a, b = actors
        j = {d.lower(): jaccard(nb.of(a, [d], given), nb.of(b, [d], given))
             for d in ("PROJECTS", "COMPETENCIES", "NEEDS", "COLLABORATORS")}
        overall = ["COMPETENCIES", "PROJECTS", "COLLABORATORS"]
        j["overall"] = jaccard(nb.of(a, overall, given), nb.of(b, overall, given))
        out["jaccard"] = j
    return out


def answer_similar(nb, q, aff, org_nb):
    a, dims = q["id"], q["dims"]
    if q.get("scope") == "ORGANISATIONS":
        nb = org_nb
    own = aff.own(a)
    ranking = []
    for b in nb.actors:
        if b in own:
            continue
        sa, sb = nb.of(a, dims, {a, b}), nb.of(b, dims, {a, b})
        shared = sa & sb
        if not shared:
            continue
        # Exact integers for the order; the float for the comparison.
        ranking.append({"id": b, "inter": len(shared), "union": len(sa | sb),
                        "score": len(shared) / len(sa | sb), "shared": sorted(shared)})
    # score desc (compared exactly by cross-multiplying), shared desc, id
    def cmp(x, y):
        l, r = x["inter"] * y["union"], y["inter"] * x["union"]
        if l != r:
            return -1 if l > r else 1
        if x["inter"] != y["inter"]:
            return -1 if x["inter"] > y["inter"] else 1
        return -1 if x["id"] < y["id"] else (1 if x["id"] > y["id"] else 0)

    ranking.sort(key=cmp_to_key(cmp))
    return {"ranking": ranking}


def organisation_graph(nodes, rels, aff):
    """Section 2.1 at ORGANISATIONS, by the letter: the non-PERSON actors,
    X-Y an edge when some a in A(X) and b in A(Y), a != b, collaborate,
    A(X) being X and the persons affiliated with X."""
    g, _ = collaboration_graph(nodes, rels)
    org = nx.Graph()
    org.add_nodes_from(a for a in g if not aff.person(a))

    def stands(a):
        return aff.organisations(a) if aff.person(a) else {a}

    for a, b in g.edges():
        for x in stands(a):
            for y in stands(b):
                if x != y:
                    org.add_edge(x, y)
    return org


class OrgNeighbours:
    """Neighbour sets at ORGANISATIONS (README): the organisations' own
    projects, competencies and needs, and their neighbours in the
    organisation graph as collaborators."""

    def __init__(self, nb, org):
        self.actors = sorted(org)
        self.sets = {}
        for a in self.actors:
            s = dict(nb.sets[a])
            s["COLLABORATORS"] = set(org[a])
            self.sets[a] = s

    of = Neighbours.of


def graph_answer(g, kinds, kind):
    """Exact betweenness and graph measures of g kept to the kinds."""
    if kinds:
        g = g.subgraph(v for v in g if kind[v] in kinds)
    n, m = g.number_of_nodes(), g.number_of_edges()
    raw = nx.betweenness_centrality(g, normalized=False)
    norm = {v: x * 2 / ((n - 1) * (n - 2)) if n >= 3 else 0.0 for v, x in raw.items()}
    comps = list(nx.connected_components(g))
    return {"raw": raw, "normalized": norm, "actors": n, "edges": m, "components": len(comps),
            "largest": max((len(c) for c in comps), default=0),
            "density": nx.density(g) if n >= 2 else 0.0, "averageDegree": 2 * m / n if n else 0.0,
            "measures": measures(g) if n <= MEASURES_MAX_ACTORS else {},
            "communities": None if kinds else communities(g)}


# NetworkX's constraint recomputes each actor's normalisation for every
# pair, so it costs about the sum of the cubed degrees; above this bound it
# is left out (null) rather than run for minutes.
CONSTRAINT_MAX_WORK = 2e7
# reach and closeness search from every node (reach costs about the sum of
# the squared degrees): the measures are compared on graphs up to this
# many actors, which the generated cases have at both scopes.
MEASURES_MAX_ACTORS = 1000
# DESIGN.md's tolerance 1e-10 needs more than NetworkX's default 100
# iterations (the error shrinks by alpha per iteration); Samverkan's cap.
PAGERANK_MAX_ITER = 1000


def finite(d):
    """NaN (constraint and effective size of an isolated node) as null."""
    return {v: (None if x != x else float(x)) for v, x in d.items()}


def measures(g):
    """DESIGN.md section 2.1's measures, each NetworkX's own function."""
    n = g.number_of_nodes()
    out = {"DEGREE": {v: float(d) for v, d in g.degree()},
           "CLOSENESS": nx.closeness_centrality(g),
           "BETWEENNESS": nx.betweenness_centrality(g, normalized=False),
           "PAGERANK": nx.pagerank(g, alpha=0.85, tol=1e-10, max_iter=PAGERANK_MAX_ITER) if n else {},
           "REACH": {v: (len(nx.single_source_shortest_path_length(g, v, cutoff=2)) - 1) / (n - 1) if n > 1 else 0.0
                     for v in g}}
    out["EIGENVECTOR"] = eigenvector(g)
    if sum(d ** 3 for _, d in g.degree()) <= CONSTRAINT_MAX_WORK:
        out["CONSTRAINT"] = finite(nx.constraint(g))
        out["EFFECTIVE_SIZE"] = finite(nx.effective_size(g))
    return out


def eigenvector(g):
    """eigenvector_centrality_numpy. NetworkX refuses a disconnected graph
    (AmbiguousSolution); Samverkan gives the principal eigenvector of the
    whole adjacency matrix, which lies on the component of the largest
    eigenvalue (the others 0), so that is what is compared: NetworkX's
    answer on that component. Null when the answer is not determined: no
    edges, or a largest eigenvalue shared by two eigenvectors (two
    components alike, or a degenerate one), where ARPACK picks any."""
    if g.number_of_edges() == 0:
        return None
    import numpy as np
    import scipy.sparse.linalg

    def top(h, k):
        a = nx.to_scipy_sparse_array(h, dtype=float)
        if h.number_of_nodes() > k + 2:
            return sorted(scipy.sparse.linalg.eigsh(a, k=k, which="LA", return_eigenvectors=False), reverse=True)
        return sorted(np.linalg.eigvalsh(a.toarray()), reverse=True)[:k]

    tops = sorted(((top(g.subgraph(c), 2), c) for c in nx.connected_components(g) if len(c) > 1),
                  key=lambda x: -x[0][0])
    first = tops[0][0]
    second = max([first[1]] + [t[0][0] for t in tops[1:]]) if len(first) > 1 else (tops[1][0][0] if len(tops) > 1 else -1)
    if first[0] - second < 1e-6 * max(1.0, first[0]):
        return None
    comp = g.subgraph(tops[0][1])
    out = {v: 0.0 for v in g}
    if comp.number_of_nodes() < 3:  # ARPACK needs k < N - 1: one edge, both 1/sqrt(2)
        out.update({v: 2 ** -0.5 for v in comp})
    else:
        out.update({v: float(x) for v, x in nx.eigenvector_centrality_numpy(comp).items()})
    return out


def communities(g):
    """The modularity of NetworkX's louvain_communities, seed 1."""
    if g.number_of_edges() == 0:
        return {"modularity": 0.0, "count": g.number_of_nodes()}
    parts = nx.community.louvain_communities(g, seed=1)
    return {"modularity": nx.community.modularity(g, parts), "count": len(parts)}


def collaboration_graph(nodes, rels):
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in nodes if n["label"] == "Actor")
    members = {}
    for r in rels:
        if r["type"] == "PARTICIPATES_IN":
            members.setdefault(r["to"], []).append(r["from"])
        elif r["type"] in DIRECT_COLLABORATION and r["from"] in g and r["to"] in g:
            g.add_edge(r["from"], r["to"])
    for ms in members.values():
        g.add_edges_from(combinations(ms, 2))
    return g, members


COLLABORATING_ROLES = {"LEAD", "PARTNER", "PARTICIPANT", "FUNDER"}
PROJECT_TYPES = ["PROJECT", "PROGRAMME", "SERVICE", "EVENT"]


def answer_stats(nodes, rels, g, aff):
    """Section 2 statistics with section 2.1's cross-sector rule: not an
    EVENT, a PUBLIC and a PRIVATE actor among those taking part as LEAD,
    PARTNER, PARTICIPANT or FUNDER, a person by its organisations' sectors."""
    sector = {n["id"]: n.get("sector") for n in nodes if n["label"] == "Actor"}
    ptype = {n["id"]: n.get("type") or "PROJECT" for n in nodes if n["label"] == "Project"}
    comps = list(nx.connected_components(g))
    n, m = g.number_of_nodes(), g.number_of_edges()
    sectors = {}
    for r in rels:
        if r["type"] == "PARTICIPATES_IN" and r.get("role") in COLLABORATING_ROLES and ptype[r["to"]] != "EVENT":
            who = aff.organisations(r["from"]) if aff.person(r["from"]) else {r["from"]}
            sectors.setdefault(r["to"], set()).update(sector[a] for a in who)
    cross = sorted(p for p, ss in sectors.items() if {"PUBLIC", "PRIVATE"} <= ss)
    eligible = sum(1 for t in ptype.values() if t != "EVENT")
    return {"actors": n, "edges": m, "components": len(comps),
            "largest": max((len(c) for c in comps), default=0),
            "density": nx.density(g) if n >= 2 else 0.0,
            "averageDegree": 2 * m / n if n else 0.0,
            "projects": len(ptype), "crossSector": len(cross), "crossSectorIds": cross,
            "projectTypes": [sum(1 for v in ptype.values() if v == t) for t in PROJECT_TYPES],
            "crossSectorShare": len(cross) / eligible if eligible else 0.0}


def answer_sampled_betweenness(g, sources):
    """The sampled estimate of Brokers (internal/kg/brokers.go) from the
    given source actors: NetworkX's betweenness_centrality_subset over
    every target, normalized=False, which sums each source's Brandes
    dependencies and halves them for an undirected graph (so with every
    actor a source it is betweenness_centrality exactly), scaled by n/k.
    That is the estimate of betweenness_centrality(k=...) in NetworkX
    releases before its sampling correction; NetworkX 3.6 scales sources
    and non-sources differently, and draws its own sample."""
    n, k = g.number_of_nodes(), len(sources)
    sub = nx.betweenness_centrality_subset(g, sources, list(g), normalized=False)
    raw = {v: x * n / k for v, x in sub.items()}
    norm = {v: x * 2 / ((n - 1) * (n - 2)) if n >= 3 else 0.0 for v, x in raw.items()}
    return {"raw": raw, "normalized": norm}


def main():
    req = json.load(sys.stdin)
    nodes, rels = req["nodes"], req["rels"]
    seconds = req.get("simplePathsSeconds") or SIMPLE_PATHS_SECONDS
    out = {}
    cache = {}
    out["paths"] = [answer_path(nodes, rels, q, cache, seconds) for q in req.get("paths") or []]
    out["match"] = [answer_match(nodes, rels, q, cache) for q in req.get("match") or []]
    out["consortium"] = [answer_consortium(nodes, rels, q, cache) for q in req.get("consortium") or []]
    out["overlap"], out["similar"] = [], []
    aff = Affiliation(nodes, rels)
    org = None
    if any(g.get("scope") == "ORGANISATIONS" for g in req.get("graphs") or []) or \
            any(q.get("scope") == "ORGANISATIONS" for q in req.get("similar") or []):
        org = organisation_graph(nodes, rels, aff)
    if req.get("overlap") or req.get("similar"):
        nb = Neighbours(nodes, rels)
        org_nb = OrgNeighbours(nb, org) if org is not None else None
        out["overlap"] = [answer_overlap(nb, q) for q in req.get("overlap") or []]
        out["similar"] = [answer_similar(nb, q, aff, org_nb) for q in req.get("similar") or []]
    # The collaboration graph only when asked for: at 10,000 actors with
    # large projects it has millions of edges.
    sources = req.get("betweennessSources")
    if req.get("betweenness") or req.get("stats") or sources or req.get("graphs"):
        g, members = collaboration_graph(nodes, rels)
        out["graphs"] = [graph_answer(org if q.get("scope") == "ORGANISATIONS" else g, q.get("kinds"), aff.kind)
                         for q in req.get("graphs") or []]
        if req.get("betweenness"):
            raw = nx.betweenness_centrality(g, normalized=False)
            n = g.number_of_nodes()
            if n <= NX_NORMALIZED_MAX:
                norm = nx.betweenness_centrality(g, normalized=True)
            else:
                # NetworkX's own scaling for undirected graphs, without a second
                # full run: 2 / ((n-1)(n-2)).
                norm = {v: x * 2 / ((n - 1) * (n - 2)) for v, x in raw.items()}
            out["betweenness"] = {"raw": raw, "normalized": norm}
        if sources:
            out["sampledBetweenness"] = answer_sampled_betweenness(g, sources)
        if req.get("stats"):
            out["stats"] = answer_stats(nodes, rels, g, aff)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
