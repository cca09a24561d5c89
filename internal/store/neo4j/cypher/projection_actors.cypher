// params: none
// The actors of kg.Projection: only the fields whole-graph analytics use.
MATCH (a:Actor)
RETURN a.id AS id, a.kind AS kind, a.sector AS sector, a.country AS country
