#!/usr/bin/env python3
"""NetworkX reads Samverkan's GraphML and GEXF exports back whole.

usage: networkx_reads.py GRAPH.json GRAPH.graphml GRAPH.gexf

GRAPH.json is the JSON export of the same selection (the importGraph form).
Every node and relationship in it must be in both files, with every
attribute it has and no other, typed as declared (int and double values
come back as numbers), and nothing more. Exit 1 with the differences
otherwise. This is how CI checks that Gephi-class tools see the whole graph
(internal/export's TestNetworkXReadsExports runs it on the seed).
"""

import json
import sys
from collections import Counter

import networkx as nx

SECTIONS = {"actors": "Actor", "projects": "Project", "needs": "Need", "competencies": "Competency"}
INTS = {"priority", "level", "importance"}
FLOATS = {"amount"}


def value(key, v):
    if key == "externalIds":  # [{scheme, value}] in JSON, one "scheme:value | …" attribute
        return " | ".join(f"{x['scheme']}:{x['value']}" for x in v)
    if isinstance(v, list):
        return " | ".join(v)
    if key in INTS:
        return int(v)
    if key in FLOATS:
        return float(v)
    return v


def expected(doc):
    nodes = {}
    for section, label in SECTIONS.items():
        for n in doc.get(section) or []:
            attrs = {"nodeLabel": label}
            for k, v in n.items():
                if k != "id" and v not in (None, "", []):
                    attrs[k] = value(k, v)
            if label == "Project":
                attrs.setdefault("type", "PROJECT")
            if label == "Need":
                attrs.setdefault("priority", 3)
            nodes[n["id"]] = attrs
    edges = Counter()
    for r in doc.get("relationships") or []:
        attrs = {"relType": r["type"], "basis": r.get("basis") or "STATED"}
        for k, v in r.items():
            if k not in ("type", "fromId", "toId", "basis") and v not in (None, "", []):
                attrs[k] = value(k, v)
        edges[(r["fromId"], r["toId"], frozenset(attrs.items()))] += 1
    return nodes, edges


def check(name, g, nodes, edges, drop_node, drop_edge):
    problems = []
    if not g.is_directed():
        problems.append("the graph is not directed")
    got_nodes = {n: {k: v for k, v in d.items() if k not in drop_node} for n, d in g.nodes(data=True)}
    for n in sorted(set(nodes) | set(got_nodes)):
        if n not in got_nodes:
            problems.append(f"node {n} missing")
        elif n not in nodes:
            problems.append(f"node {n} not in the graph")
        elif got_nodes[n] != nodes[n]:
            problems.append(f"node {n}: {got_nodes[n]} != {nodes[n]}")
    got_edges = Counter()
    for u, v, d in g.edges(data=True):
        got_edges[(u, v, frozenset((k, x) for k, x in d.items() if k not in drop_edge))] += 1
    for e in sorted((edges - got_edges).keys(), key=str):
        problems.append(f"edge missing or different: {e[0]} -> {e[1]} {dict(e[2])}")
    for e in sorted((got_edges - edges).keys(), key=str):
        problems.append(f"edge not in the graph: {e[0]} -> {e[1]} {dict(e[2])}")
    print(f"{name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
          f"{sum(len(d) for d in nodes.values())} node and "
          f"{sum(len(e[2]) * c for e, c in edges.items())} edge attributes expected; "
          f"{len(problems)} problems")
    return problems


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        nodes, edges = expected(json.load(f))
    problems = check("graphml", nx.read_graphml(sys.argv[2]), nodes, edges, set(), {"id"})
    # GEXF's own node label is the name, and its edge label the type.
    problems += check("gexf", nx.read_gexf(sys.argv[3]), nodes, edges, {"label"}, {"id", "label"})
    for p in problems[:40]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
