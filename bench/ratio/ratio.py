#!/usr/bin/env python3
"""Samverkan side by side with NetworkX and igraph, on one generated graph.

bench/ratio/run.sh drives this: it builds the server binary, generates the
graph file (`samverkan gen`) and imports it (`samverkan import`), then runs

    ratio.py --bin BIN --graph FILE --data DIR [--scale S] [--seed N] ...

which

1. reads the same graph file into NetworkX and igraph and times, in this
   process, what each library offers for the analytics of DESIGN.md §2
   (while no server runs, so that nothing competes for the cores);
2. starts the real server on the imported store (a loopback port of its
   own), several times: restart time, RSS, brokers on the first request;
   then, on the last start, the medians of every operation over HTTP
   (POST /graphql, one keep-alive connection);
3. checks the server's answers against NetworkX: partnershipPaths lengths
   for k=1 and k=3 on every pair (and that each returned path is a simple
   path of the graph), brokers' top 10 when the server says it is exact;
4. prints a markdown table to stdout (progress goes to stderr) and exits 1
   when an answer disagrees or a request fails.

Every choice is seeded (--seed): the same graph and seed give the same
pairs, actors, needs and terms. Times are wall clock (time.perf_counter);
the server's include HTTP, GraphQL and JSON, the libraries' do not.
"""

import argparse
import http.client
import itertools
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import unicodedata

import networkx as nx

try:
    import igraph as ig
except ImportError:  # the table says so; run.sh installs it
    ig = None

DEFAULT_VIA = ("PARTICIPATES_IN", "MEMBER_OF", "PART_OF", "PARTNERS_WITH")
MAX_HOPS = 6  # partnershipPaths' default maxHops
MATCH_MAX_HOPS = 4  # matchNeed's default maxHops
BETWEENNESS_SAMPLES = 500
BETWEENNESS_SEED = 20181  # kg.BetweennessSeed (NetworkX samples its own way)
NX_EXACT_MAX_ACTORS = 2_000  # NetworkX's exact betweenness above this takes minutes
IGRAPH_EXACT_MAX_ACTORS = 10_000  # issue 10: exact up to 10k actors
TOL = 1e-6  # brokers: raw scores agree to 1e-6

NESTED = ("{ actors(first: 50) { edges { node { id name projects { role project { id name "
          "participants { role actor { id name } } } } } } } }")
Q_PATHS = ("query($from: ID!, $to: ID!, $k: Int) { partnershipPaths(from: $from, to: $to, k: $k) "
           "{ length nodes { id } } }")
Q_SIMILAR = "query($id: ID!) { similarActors(id: $id) { score actor { id } } }"
Q_MATCH = "query($id: ID!) { matchNeed(needId: $id) { coverage distance actor { id } } }"
Q_SEARCH = "query($text: String!) { search(text: $text) { score node { id } } }"
Q_BROKERS = "{ brokers { exact samples actorCount brokers { score normalized actor { id } } } }"
Q_PING = '{ actor(id: "a-0") { name } }'


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def ms(seconds):
    return seconds * 1000.0


def timed(fn, *a):
    t = time.perf_counter()
    r = fn(*a)
    return time.perf_counter() - t, r


def best(rounds, items, fn):
    """Each item's best time over rounds passes through all items (a pass
    at a time, so no item runs twice in a row), and the first pass's
    answers. The best of a few damps the noise of a shared machine."""
    times, answers = [float("inf")] * len(items), [None] * len(items)
    for r in range(rounds):
        for i, it in enumerate(items):
            d, a = timed(fn, *it)
            times[i] = min(times[i], d)
            if r == 0:
                answers[i] = a
    return times, answers


# ---------------------------------------------------------------- the graph


class Graph:
    """The graph file, and the graphs the libraries work on."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            g = json.load(f)
        self.actors = sorted(a["id"] for a in g.get("actors") or [])
        self.needs = sorted(n["id"] for n in g.get("needs") or [])
        self.names = []  # (label, name) of every node, in file order
        self.nodes = []
        for label in ("actors", "projects", "needs", "competencies"):
            for n in g.get(label) or []:
                self.nodes.append(n["id"])
                self.names.append(n.get("name") or "")
        rels = g.get("relationships") or []
        self.nrels = len(rels)

        # The traversal graph over the default via: every node, an
        # undirected edge wherever a relationship joins two nodes (parallel
        # relationships collapse: a path is a sequence of nodes).
        self.T = nx.Graph()
        self.T.add_nodes_from(self.nodes)
        self.T.add_edges_from((r["fromId"], r["toId"]) for r in rels if r["type"] in DEFAULT_VIA)

        # The collaboration graph (DESIGN.md §2): actors, an edge for each
        # pair sharing a project or joined by MEMBER_OF / PARTNERS_WITH, or
        # by PART_OF between actors (a unit and its organisation); never
        # SUPPLIES.
        members = {}
        self.C = nx.Graph()
        self.C.add_nodes_from(self.actors)
        for r in rels:
            if r["type"] == "PARTICIPATES_IN":
                members.setdefault(r["toId"], set()).add(r["fromId"])
            elif r["type"] in ("MEMBER_OF", "PARTNERS_WITH", "PART_OF") and r["fromId"] in self.C and r["toId"] in self.C:
                self.C.add_edge(r["fromId"], r["toId"])
        for ms_ in members.values():
            self.C.add_edges_from(itertools.combinations(sorted(ms_), 2))

        # The neighbour graph of similarActors' default dimensions
        # (PROJECTS, COMPETENCIES, COLLABORATORS): an actor's neighbours are
        # its projects, its competencies and its collaborators.
        self.H = nx.Graph(self.C)
        self.H.add_edges_from((r["fromId"], r["toId"]) for r in rels
                              if r["type"] in ("PARTICIPATES_IN", "HAS_COMPETENCY"))
        self.actor_set = set(self.actors)

        # matchNeed's inputs, indexed as the server indexes them.
        self.requires, self.owners, self.holders = {}, {}, {}
        for r in rels:
            t = r["type"]
            if t == "REQUIRES":
                self.requires.setdefault(r["fromId"], {})[r["toId"]] = r["importance"]
            elif t == "HAS_NEED":
                self.owners.setdefault(r["toId"], []).append(r["fromId"])
            elif t == "HAS_COMPETENCY":
                self.holders.setdefault(r["toId"], []).append((r["fromId"], r["level"]))

        self.iT = self.iC = self.iH = None
        if ig is not None:
            self.index = {v: i for i, v in enumerate(self.nodes)}
            self.iT = self._igraph(self.T, self.nodes)
            self.iC = self._igraph(self.C, self.actors)
            self.iH = self._igraph(self.H, self.nodes)
            self.cindex = {v: i for i, v in enumerate(self.actors)}

    @staticmethod
    def _igraph(g, order):
        idx = {v: i for i, v in enumerate(order)}
        h = ig.Graph(n=len(order), edges=[(idx[a], idx[b]) for a, b in g.edges()], directed=False)
        h.vs["name"] = order
        return h


# ------------------------------------------------------------ the workload


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def workload(G, seed, npairs, nsamples):
    """Seeded choices: actor pairs in the largest component of the
    traversal graph, actors and needs for similarActors and matchNeed,
    search terms drawn from the names."""
    rnd = random.Random(seed)
    main = max(nx.connected_components(G.T), key=len)
    pool = sorted(a for a in G.actors if a in main)
    pairs = []
    seen = set()
    while len(pairs) < npairs and len(pool) >= 2:
        a, b = rnd.sample(pool, 2)
        if (a, b) not in seen:
            seen.add((a, b))
            pairs.append((a, b))
    actors = rnd.sample(G.actors, min(nsamples, len(G.actors)))
    needs = rnd.sample(G.needs, min(nsamples, len(G.needs)))
    terms = []
    while len(terms) < nsamples:
        words = G.names[rnd.randrange(len(G.names))].split()
        if not words:
            continue
        i = rnd.randrange(len(words))
        w = words[i:i + rnd.choice((1, 1, 2))]
        if rnd.random() < 0.5:  # "goteborg" finds Göteborg
            w = [fold(x) for x in w]
        else:
            w = [x.lower() for x in w]
        if rnd.random() < 0.3 and len(w[-1]) > 3:  # the last word as a prefix
            w[-1] = w[-1][:rnd.randint(3, len(w[-1]) - 1)]
        term = " ".join(w)
        if term not in terms:
            terms.append(term)
    return pairs, actors, needs, terms


# ------------------------------------------------------- NetworkX and igraph


def nx_similar(G, a):
    H = G.H
    na = H[a]
    cand = {w for v in na for w in H[v] if w != a and w in G.actor_set}
    scored = [(b, j) for _, b, j in nx.jaccard_coefficient(H, [(a, b) for b in cand]) if j > 0]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:10]


def ig_similar(G, a):
    H, i = G.iH, G.index[a]
    cand = {w for v in H.neighbors(i) for w in H.neighbors(v) if w != i and H.vs[w]["name"] in G.actor_set}
    cand = sorted(cand)
    sims = H.similarity_jaccard(pairs=[(i, b) for b in cand])
    scored = sorted(((H.vs[b]["name"], j) for b, j in zip(cand, sims) if j > 0), key=lambda x: (-x[1], x[0]))
    return scored[:10]


def rank_match(G, need, dist):
    required = G.requires.get(need, {})
    owners = set(G.owners.get(need, []))
    held = {}
    for c in required:
        for a, level in G.holders.get(c, []):
            if a not in owners and level >= 1:
                held.setdefault(a, {})[c] = level
    total = sum(required.values()) or 1
    inf = float("inf")
    rows = []
    for a, lv in held.items():
        imp = sum(required[c] for c in lv)
        d = dist.get(a)
        rows.append((-imp, inf if d is None else d, -sum(lv.values()), a, imp / total))
    rows.sort()
    return rows[:10]


def nx_match(G, need):
    owners = G.owners.get(need, [])
    dist = nx.multi_source_dijkstra_path_length(G.T, set(owners), cutoff=MATCH_MAX_HOPS) if owners else {}
    return rank_match(G, need, dist)


def ig_match(G, need):
    owners = [G.index[o] for o in G.owners.get(need, [])]
    dist = {}
    if owners:
        cand = sorted({a for c in G.requires.get(need, {}) for a, _ in G.holders.get(c, [])})
        ci = [G.index[a] for a in cand]
        if ci:
            m = G.iT.distances(source=owners, target=ci)
            for j, a in enumerate(cand):
                d = min(row[j] for row in m)
                if d <= MATCH_MAX_HOPS:
                    dist[a] = int(d)
    return rank_match(G, need, dist)


def baselines(G, pairs, actors, needs, rounds, brokers=True, nx_brokers=True):
    """Times (seconds) of the libraries, and NetworkX's reference answers."""
    out = {"nx": {}, "ig": {}, "ref": {}}
    nxt, igt, ref = out["nx"], out["ig"], out["ref"]

    log("NetworkX: shortest_path, shortest_simple_paths")

    def k1(s, t):
        try:
            return len(nx.shortest_path(G.T, s, t)) - 1
        except nx.NetworkXNoPath:
            return None

    def k3(s, t):
        return sorted(len(p) - 1 for p in itertools.islice(nx.shortest_simple_paths(G.T, s, t), 3))

    nxt["k1"], ref["k1"] = best(rounds, pairs, k1)
    nxt["k3"], ref["k3"] = best(rounds, pairs, k3)

    log("NetworkX: similar (jaccard_coefficient), matchNeed (multi-source BFS)")
    nxt["similar"] = best(rounds, [(G, a) for a in actors], nx_similar)[0]
    nxt["match"] = best(rounds, [(G, n) for n in needs], nx_match)[0]

    n = len(G.actors)
    if not brokers:
        log("betweenness of the libraries skipped (--no-library-brokers)")
    elif not nx_brokers:
        log("NetworkX's betweenness skipped (--no-networkx-brokers)")
    else:
        log(f"NetworkX: betweenness_centrality(k={min(BETWEENNESS_SAMPLES, n)}, seed={BETWEENNESS_SEED}) "
            f"on {n} actors, {G.C.number_of_edges()} edges")
        nxt["brokers"] = [timed(lambda: nx.betweenness_centrality(
            G.C, k=min(BETWEENNESS_SAMPLES, n), normalized=False, seed=BETWEENNESS_SEED))[0]]
        if n <= NX_EXACT_MAX_ACTORS:
            log("NetworkX: exact betweenness_centrality(normalized=False)")
            d, bc = timed(lambda: nx.betweenness_centrality(G.C, normalized=False))
            nxt["brokers_exact"] = [d]
            ref["betweenness"], ref["betweenness_by"] = bc, "NetworkX"

    if ig is None:
        return out
    log("igraph: get_shortest_path, get_k_shortest_paths")
    if hasattr(G.iT, "get_shortest_path"):
        sp = G.iT.get_shortest_path
    else:  # igraph before 0.10.5 (Debian 12 has 0.10.2)
        def sp(s, t):
            return G.iT.get_shortest_paths(s, to=t)[0]
    ipairs = [(G.index[s], G.index[t]) for s, t in pairs]
    igt["k1"] = best(rounds, ipairs, sp)[0]
    if hasattr(G.iT, "get_k_shortest_paths"):
        igt["k3"] = best(rounds, [(s, t, 3) for s, t in ipairs], G.iT.get_k_shortest_paths)[0]
    log("igraph: similarity_jaccard, distances")
    igt["similar"] = best(rounds, [(G, a) for a in actors], ig_similar)[0]
    igt["match"] = best(rounds, [(G, n) for n in needs], ig_match)[0]
    if brokers and n <= IGRAPH_EXACT_MAX_ACTORS:
        log(f"igraph: exact betweenness() on {n} actors")
        d, bc = timed(lambda: G.iC.betweenness(directed=False))
        igt["brokers"] = [d]
        if "betweenness" not in ref:
            ref["betweenness"] = dict(zip(G.actors, bc))
            ref["betweenness_by"] = "igraph"
        else:
            ref["igraph_betweenness"] = dict(zip(G.actors, bc))
    return out


# ------------------------------------------------------------------ server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


class Server:
    def __init__(self, binary, data):
        self.binary, self.data = binary, data
        self.proc = None
        self.conn = None

    def start(self, timeout=120.0):
        self.port = free_port()
        env = dict(os.environ, HOST="127.0.0.1", PORT=str(self.port), DATA_DIR=self.data, SEED="never",
                   LOG_LEVEL=os.environ.get("LOG_LEVEL", "warn"), RATE_LIMIT_PER_MINUTE="0")
        env.pop("NEO4J_URI", None)
        t0 = time.perf_counter()
        self.proc = subprocess.Popen([self.binary], env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode} before /healthz answered")
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    break
                c.close()
            except OSError:
                pass
            if time.perf_counter() - t0 > timeout:
                raise SystemExit(f"the server did not answer /healthz in {timeout} s")
            time.sleep(0.002)
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        return time.perf_counter() - t0

    def query(self, q, variables=None):
        """(seconds, data, errors) of one POST /graphql."""
        body = json.dumps({"query": q, "variables": variables or {}})
        t = time.perf_counter()
        self.conn.request("POST", "/graphql", body, {"Content-Type": "application/json"})
        r = self.conn.getresponse()
        raw = r.read()
        d = time.perf_counter() - t
        try:
            doc = json.loads(raw)
        except ValueError:
            return d, None, [{"message": f"HTTP {r.status}: {raw[:200]!r}"}]
        return d, doc.get("data"), doc.get("errors")

    def rss(self):
        return status(self.proc.pid, "VmRSS")

    def hwm(self):
        return status(self.proc.pid, "VmHWM")

    def stop(self):
        if self.conn:
            self.conn.close()
            self.conn = None
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def measure_server(G, args, pairs, actors, needs, terms):
    srv = Server(args.bin, args.data)
    res = {"restart": [], "rss": [], "brokers": [], "errors": {}}
    err = res["errors"]

    def fail(op, what, errors):
        err.setdefault(op, []).append(f"{what}: {errors[0].get('message') if errors else 'no data'}")

    try:
        for i in range(args.restarts):
            log(f"server: start {i + 1} of {args.restarts}, brokers on the first request")
            res["restart"].append(srv.start())
            res["rss"].append(srv.rss())
            d, data, errors = srv.query(Q_BROKERS)
            res["brokers"].append(d)
            if errors or not data:
                fail("brokers", "brokers", errors)
            else:
                res["brokers_answer"] = data["brokers"]
            if i < args.restarts - 1:
                srv.stop()
        srv.query(Q_PING)  # one request before the medians (connection, first-use costs)
        res["ping"] = [srv.query(Q_PING)[0] for _ in range(30)]

        def ask(op, q, what):
            """Like best: each request's best time over the rounds."""
            times, answers = [float("inf")] * len(what), [None] * len(what)
            for r in range(args.rounds):
                for i, v in enumerate(what):
                    d, data, errors = srv.query(q, v)
                    times[i] = min(times[i], d)
                    if r == 0:
                        answers[i] = data
                        if errors or data is None:
                            fail(op, json.dumps(v, ensure_ascii=False), errors)
                            answers[i] = None
            res[op] = times
            return answers

        log(f"server: partnershipPaths k=1 and k=3 on {len(pairs)} pairs")
        for k in (1, 3):
            answers = ask(f"k{k}", Q_PATHS, [{"from": s, "to": t, "k": k} for s, t in pairs])
            res[f"k{k}_answers"] = [None if a is None else [[n["id"] for n in p["nodes"]] for p in a["partnershipPaths"]]
                                    for a in answers]

        log(f"server: similarActors on {len(actors)} actors, matchNeed on {len(needs)} needs, "
            f"search on {len(terms)} terms")
        ask("similar", Q_SIMILAR, [{"id": a} for a in actors])
        ask("match", Q_MATCH, [{"id": n} for n in needs])
        ask("search", Q_SEARCH, [{"text": t} for t in terms])

        log(f"server: the 50-actor nested query, {args.nested} times")
        times = []
        for _ in range(args.nested):
            d, data, errors = srv.query(NESTED)
            times.append(d)
            if errors or data is None:
                fail("nested", "actors(first: 50)", errors)
        res["nested"] = times
        d, data, errors = srv.query(Q_BROKERS)
        res["brokers_warm"] = [d]
        res["rss_end"], res["hwm"] = srv.rss(), srv.hwm()
    finally:
        srv.stop()
    return res


# ------------------------------------------------------------------ checks


def check(G, ref, res):
    """Disagreements between the server's answers and NetworkX's."""
    bad = []
    for k in (1, 3):
        for (s, t), got, want1, want3 in zip(res["pairs"], res[f"k{k}_answers"], ref["k1"], ref["k3"]):
            if got is None:
                bad.append(f"partnershipPaths k={k} {s} → {t}: no answer (error)")
                continue
            for p in got:
                if p[0] != s or p[-1] != t or len(set(p)) != len(p) or \
                        any(not G.T.has_edge(a, b) for a, b in zip(p, p[1:])):
                    bad.append(f"partnershipPaths k={k} {s} → {t}: {p} is not a simple path of the graph")
            lengths = sorted(len(p) - 1 for p in got)
            if k == 1:
                want = [] if want1 is None or want1 > MAX_HOPS else [want1]
            else:
                want = [x for x in want3 if x <= MAX_HOPS]
            if lengths != want:
                bad.append(f"partnershipPaths k={k} {s} → {t}: lengths {lengths}, NetworkX {want}")
    b = res.get("brokers_answer")
    bc = ref.get("betweenness")
    if b is None:
        bad.append("brokers: no answer")
    elif b["exact"] and bc is not None:
        n = len(G.actors)
        want = sorted(bc.items(), key=lambda x: (-round(x[1], 6), x[0]))[:len(b["brokers"])]
        for i, row in enumerate(b["brokers"]):
            a, score = row["actor"]["id"], row["score"]
            if abs(score - want[i][1]) > TOL or abs(score - bc.get(a, float("nan"))) > TOL:
                bad.append(f"brokers #{i + 1}: {a} {score}, {ref['betweenness_by']} #{i + 1} {want[i][0]} "
                           f"{want[i][1]:.6f} ({a}: {bc.get(a, float('nan')):.6f})")
            norm = score * 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
            if abs(row["normalized"] - norm) > 1e-9:
                bad.append(f"brokers #{i + 1}: normalized {row['normalized']}, want {norm}")
    ib = ref.get("igraph_betweenness")
    if bc is not None and ib is not None:
        worst = max(abs(bc[a] - ib[a]) for a in bc)
        if worst > TOL:
            bad.append(f"igraph's betweenness differs from NetworkX's by up to {worst}")
    for op, errs in res["errors"].items():
        if op not in ("k1", "k3"):  # those are reported above
            bad.extend(f"{op}: {e}" for e in errs)
    return bad


# ------------------------------------------------------------------- table


def med(xs):
    return statistics.median(xs) if xs else None


def fmt_ms(s):
    if s is None:
        return "—"
    x = ms(s)
    if x >= 100_000:
        return f"{x / 1000:,.0f} s"
    if x >= 10_000:
        return f"{x / 1000:.1f} s"
    if x >= 1000:
        return f"{x / 1000:.2f} s"
    if x >= 100:
        return f"{x:,.0f} ms"
    if x >= 10:
        return f"{x:.1f} ms"
    if x >= 1:
        return f"{x:.2f} ms"
    return f"{x:.3f} ms"


def ratio(a, b):
    if a is None or b is None or b <= 0:
        return None
    r = a / b
    if r >= 100:
        return f"{r:,.0f}"
    if r >= 10:
        return f"{r:.1f}"
    if r >= 0.1:
        return f"{r:.2f}"
    return f"{r:.2g}"


def table(G, args, base, res, meta):
    nxt, igt = base["nx"], base["ig"]
    n = len(G.actors)
    b = res.get("brokers_answer") or {}
    kind = "exact" if b.get("exact") else f"{b.get('samples', '?')} samples"

    def refused(op, total):
        e = len(res["errors"].get(op, []))
        return f", {e} of {total} failed" if e else ""

    rows = []

    def row(op, ours, nxv, igv, note=""):
        rs = []
        if ratio(ours, nxv):
            rs.append(f"{ratio(ours, nxv)} × NetworkX")
        if ratio(ours, igv):
            rs.append(f"{ratio(ours, igv)} × igraph")
        rows.append(f"| {op} | {fmt_ms(ours)}{note} | {fmt_ms(nxv)} | {fmt_ms(igv)} | {'; '.join(rs) or '—'} |")

    np_, k = len(res["pairs"]), min(BETWEENNESS_SAMPLES, n)
    row(f"partnershipPaths k=1 ({np_} pairs; `shortest_path`, `get_shortest_path`)",
        med(res["k1"]), med(nxt.get("k1")), med(igt.get("k1")), refused("k1", np_))
    row(f"partnershipPaths k=3 ({np_} pairs; `shortest_simple_paths` first 3, `get_k_shortest_paths`)",
        med(res["k3"]), med(nxt.get("k3")), med(igt.get("k3")), refused("k3", np_))
    row(f"similarActors ({len(res['similar'])} actors; `jaccard_coefficient`, `similarity_jaccard`)",
        med(res["similar"]), med(nxt.get("similar")), med(igt.get("similar")),
        refused("similar", len(res["similar"])))
    row(f"matchNeed ({len(res['match'])} needs; multi-source BFS, `distances`)",
        med(res["match"]), med(nxt.get("match")), med(igt.get("match")), refused("match", len(res["match"])))
    row(f"search ({len(res['search'])} terms; no library counterpart)", med(res["search"]), None, None,
        refused("search", len(res["search"])))
    row(f"brokers, first request after a start ({kind}; `betweenness_centrality(k={k}, seed={BETWEENNESS_SEED})`, "
        f"exact `betweenness()`; {len(res['brokers'])} starts)",
        med(res["brokers"]), med(nxt.get("brokers")), med(igt.get("brokers")), refused("brokers", len(res["brokers"])))
    if "brokers_exact" in nxt:
        row("brokers against NetworkX's exact `betweenness_centrality()` (the check's reference)",
            med(res["brokers"]) if b.get("exact") else None, med(nxt["brokers_exact"]), None)
    row("brokers, cached (the next request)", med(res["brokers_warm"]), None, None)
    row(f"50 actors with projects and participants ({len(res['nested'])} requests)", med(res["nested"]), None, None,
        refused("nested", len(res["nested"])))
    row(f"the floor: `{{ actor(id) {{ name }} }}` ({len(res['ping'])} requests)", med(res["ping"]), None, None)
    rows.append(f"| RSS after start (VmRSS) / peak over the run (VmHWM) | "
                f"{med(res['rss']) / 1e6:,.0f} MB / {res['hwm'] / 1e6:,.0f} MB | — | — | — |")
    row(f"restart: process start to the first `/healthz` 200 ({len(res['restart'])} starts)",
        med(res["restart"]), None, None)

    out = [f"Scale {args.scale}: {n:,} actors, {len(G.nodes):,} nodes, {G.nrels:,} relationships "
           f"(collaboration graph {G.C.number_of_edges():,} edges; traversal graph {G.T.number_of_edges():,} edges); "
           f"workload seed {args.seed}; per pair, actor, need and term the best of {args.rounds} passes, then the median; "
           f"{meta}",
           "",
           "| operation | Samverkan median | NetworkX | igraph | ratio (Samverkan ÷ library) |",
           "|---|---:|---:|---:|---|"]
    return "\n".join(out + rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the samverkan server binary")
    ap.add_argument("--graph", required=True, help="the graph file (samverkan gen)")
    ap.add_argument("--data", required=True, help="the embedded store's directory, imported from --graph")
    ap.add_argument("--scale", default="?", help="the scale's name, for the table")
    ap.add_argument("--seed", type=int, default=10, help="seed of the workload's choices")
    ap.add_argument("--pairs", type=int, default=30)
    ap.add_argument("--samples", type=int, default=20, help="actors, needs and terms")
    ap.add_argument("--rounds", type=int, default=3,
                    help="passes over the pairs, actors, needs and terms; each one's best time counts")
    ap.add_argument("--restarts", type=int, default=3, help="server starts (restart time, RSS, cold brokers)")
    ap.add_argument("--nested", type=int, default=10, help="repetitions of the 50-actor nested query")
    ap.add_argument("--meta", default="", help="a line on the machine and commit, for the table")
    ap.add_argument("--no-library-brokers", action="store_true",
                    help="skip NetworkX's and igraph's betweenness (minutes at M; brokers then go unchecked)")
    ap.add_argument("--no-networkx-brokers", action="store_true",
                    help="skip NetworkX's betweenness only (its k=500 run takes 5-15 min at M); igraph's exact "
                         "betweenness is then the reference")
    ap.add_argument("--no-check", action="store_true", help="measure only; do not compare with NetworkX")
    args = ap.parse_args()

    t0 = time.perf_counter()
    log(f"reading {args.graph}")
    G = Graph(args.graph)
    pairs, actors, needs, terms = workload(G, args.seed, args.pairs, args.samples)
    base = baselines(G, pairs, actors, needs, args.rounds, brokers=not args.no_library_brokers,
                     nx_brokers=not args.no_networkx_brokers)
    res = measure_server(G, args, pairs, actors, needs, terms)
    res["pairs"] = pairs
    libs = f"NetworkX {nx.__version__}, igraph {ig.__version__ if ig else 'missing'}, Python {platform.python_version()}"
    print(table(G, args, base, res, f"{args.meta}; {libs}".strip("; ")))
    print()
    bad = [] if args.no_check else check(G, base["ref"], res)
    b = res.get("brokers_answer") or {}
    if args.no_check:
        print("Not compared with NetworkX (--no-check).")
    elif bad:
        print(f"DISAGREEMENTS with NetworkX ({len(bad)}):")
        for x in bad[:50]:
            print(f"- {x}")
    else:
        what = (f"brokers' top {len(b.get('brokers', []))} equal {base['ref']['betweenness_by']}'s exact betweenness"
                if b.get("exact") and "betweenness" in base["ref"]
                else "brokers not compared (" + ("sampled" if not b.get("exact") else "no reference computed") + ")")
        print(f"Agreement: partnershipPaths k=1 and k=3 lengths equal NetworkX's on all {len(pairs)} pairs, "
              f"every path a simple path of the graph; {what}.")
    log(f"ratio.py: {time.perf_counter() - t0:.0f} s")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
