// Package oracle holds only tests: it checks the analytics of package kg
// (partnership paths, overlap, similar actors, need matching, brokers,
// collaboration statistics) against NetworkX, an independent implementation,
// on graphs imported into the test store (embedded, or Neo4j when NEO4J_URI
// is set; see internal/store/teststore).
//
// TestAgainstNetworkX asks every analytic, exact betweenness and the
// statistics included, on generated ecosystems of 50 to 2,000 actors.
//
// TestAgainstNetworkXAtScaleM asks a seeded sample on the generator's M
// graph (internal/gen, 10,000 actors, about 97,000 relationships,
// heavy-tailed projects): 20 path questions (shortest length, the number
// of shortest paths up to the oracle's cap, and the first k = 3 paths when
// NetworkX can enumerate them within 10 s), 10 overlap pairs with their
// Jaccard index per dimension and 2 larger groups, 5 need matchings and 4
// similar-actor rankings. It asks neither betweenness nor the statistics:
// M's collaboration graph has 1.8 million collaborator pairs, too many for
// NetworkX. It is skipped under -short.
//
// TestSampledBetweenness checks Brokers' sampled estimate from the same
// sources: the test computes kg's source actors (the actors sorted by id,
// rand.New(rand.NewPCG(kg.BetweennessSeed, kg.BetweennessSeed)).Perm(n)
// [:kg.BetweennessSamples]) and the oracle sums NetworkX's
// betweenness_centrality_subset from them to every actor (normalized=False,
// so halved for the undirected graph) times n/k. With every actor a source
// that is exact betweenness, checked on 400 actors against both
// betweenness_centrality and Brokers; exact betweenness is checked on
// 4,000 actors (above the old exact limit) against betweenness_centrality;
// the sampled estimate on 12,000 actors (above kg.ExactBetweennessMaxActors),
// each actor that Brokers ranks (over all actors and per kind) within the
// tolerance, nobody left out above the last one in, and the top ten.
//
// The tests run the interpreter named by SAMVERKAN_PYTHON, else python3.
// Without NetworkX they skip, unless SAMVERKAN_REQUIRE_ORACLE=1, when they
// fail, so that CI cannot pass without the oracle having run.
package oracle
