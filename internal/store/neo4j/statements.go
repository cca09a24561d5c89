package neo4j

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Every Cypher statement lives in cypher/<name>.cypher, one statement per
// file, so that the lint tool (tools/cypherlint) checks exactly what runs.
// Statements take parameters only; Go never builds Cypher text.
//
//go:embed cypher/*.cypher
var cypherFS embed.FS

// Statement names: the file names without .cypher. A test checks that every
// file has a constant here and every constant a file.
const (
	stmtMigrateNodeIDUnique            = "migrate_node_id_unique"
	stmtMigrateGraphVersionUnique      = "migrate_graph_version_unique"
	stmtMigrateSchemaVersionUnique     = "migrate_schema_version_unique"
	stmtMigrateIndexActorSortName      = "migrate_index_actor_sort_name"
	stmtMigrateIndexProjectSortName    = "migrate_index_project_sort_name"
	stmtMigrateIndexNeedSortName       = "migrate_index_need_sort_name"
	stmtMigrateIndexCompetencySortName = "migrate_index_competency_sort_name"
	stmtMigrateIndexActorKind          = "migrate_index_actor_kind"
	stmtMigrateIndexActorSector        = "migrate_index_actor_sector"
	stmtMigrateIndexActorCountry       = "migrate_index_actor_country"
	stmtMigrateIndexProjectStatus      = "migrate_index_project_status"
	stmtMigrateIndexNeedStatus         = "migrate_index_need_status"
	stmtMigrateIndexCompetencyCategory = "migrate_index_competency_category"
	stmtMigrateFulltextNodeSearch      = "migrate_fulltext_node_search"
	stmtMigrateAwaitIndexes            = "migrate_await_indexes"
	stmtGraphVersionInit               = "graph_version_init"
	stmtSchemaVersionGet               = "schema_version_get"
	stmtSchemaVersionSet               = "schema_version_set"
	stmtVersionBump                    = "version_bump"
	stmtVersionGet                     = "version_get"
	stmtNodesByID                      = "nodes_by_id"
	stmtNodeLabels                     = "node_labels"
	stmtUpsertActor                    = "upsert_actor"
	stmtUpsertProject                  = "upsert_project"
	stmtUpsertNeed                     = "upsert_need"
	stmtUpsertCompetency               = "upsert_competency"
	stmtDeleteNode                     = "delete_node"
	stmtRelsByKey                      = "rels_by_key"
	stmtSetRelParticipatesIn           = "set_rel_participates_in"
	stmtSetRelHasCompetency            = "set_rel_has_competency"
	stmtSetRelHasNeed                  = "set_rel_has_need"
	stmtSetRelRequires                 = "set_rel_requires"
	stmtSetRelAddresses                = "set_rel_addresses"
	stmtSetRelMemberOf                 = "set_rel_member_of"
	stmtSetRelPartnersWith             = "set_rel_partners_with"
	stmtRemoveRel                      = "remove_rel"
	stmtRelsOut                        = "rels_out"
	stmtRelsIn                         = "rels_in"
	stmtRelsBoth                       = "rels_both"
	stmtListActorAsc                   = "list_actor_asc"
	stmtListActorDesc                  = "list_actor_desc"
	stmtListProjectAsc                 = "list_project_asc"
	stmtListProjectDesc                = "list_project_desc"
	stmtListNeedAsc                    = "list_need_asc"
	stmtListNeedDesc                   = "list_need_desc"
	stmtListCompetencyAsc              = "list_competency_asc"
	stmtListCompetencyDesc             = "list_competency_desc"
	stmtCountActor                     = "count_actor"
	stmtCountProject                   = "count_project"
	stmtCountNeed                      = "count_need"
	stmtCountCompetency                = "count_competency"
	stmtSearchCandidates               = "search_candidates"
	stmtIncident                       = "incident"
	stmtProjectionActors               = "projection_actors"
	stmtProjectionLabelCounts          = "projection_label_counts"
	stmtProjectionRelCounts            = "projection_rel_counts"
	stmtProjectionLinks                = "projection_links"
	stmtCleanDatabase                  = "clean_database" // DeleteAll, for tests
)

// statement is one loaded .cypher file.
type statement struct {
	name   string
	text   string
	params []string // declared in the header, sorted
}

var statements = mustLoadStatements(cypherFS)

// stmt returns the named statement; a missing one is a programming error
// that the catalogue test catches before it can happen at run time.
func stmt(name string) statement {
	s, ok := statements[name]
	if !ok {
		panic("neo4j store: no Cypher statement " + name)
	}
	return s
}

func mustLoadStatements(fsys fs.FS) map[string]statement {
	m, err := loadStatements(fsys)
	if err != nil {
		panic(err)
	}
	return m
}

func loadStatements(fsys fs.FS) (map[string]statement, error) {
	files, err := fs.Glob(fsys, "cypher/*.cypher")
	if err != nil {
		return nil, err
	}
	out := make(map[string]statement, len(files))
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(path.Base(f), ".cypher")
		params, err := parseHeader(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out[name] = statement{name: name, text: string(b), params: params}
	}
	return out, nil
}

var paramDecl = regexp.MustCompile(`^\$([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Z]+(?:<[A-Z]+>)?)$`)

// parseHeader reads the "// params:" lines at the top of a statement, the
// same format tools/cypherlint reads: "// params: $id: STRING, $rows:
// LIST<MAP>" (several lines allowed) or "// params: none".
func parseHeader(text string) ([]string, error) {
	var params []string
	declared := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "//") {
			break
		}
		body, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "//")), "params:")
		if !ok {
			continue
		}
		declared = true
		body = strings.TrimSpace(body)
		if body == "none" {
			continue
		}
		for _, part := range strings.Split(body, ",") {
			m := paramDecl.FindStringSubmatch(strings.TrimSpace(part))
			if m == nil {
				return nil, fmt.Errorf("malformed parameter declaration %q", strings.TrimSpace(part))
			}
			params = append(params, m[1])
		}
	}
	if !declared {
		return nil, fmt.Errorf(`missing "// params:" header`)
	}
	sort.Strings(params)
	return params, nil
}

// checkParams reports a mismatch between the parameters a call passes and
// the ones its statement declares: such a call would silently read null.
func (s statement) checkParams(params map[string]any) error {
	if len(params) != len(s.params) {
		return fmt.Errorf("statement %s declares %v, call passes %d parameters", s.name, s.params, len(params))
	}
	for _, p := range s.params {
		if _, ok := params[p]; !ok {
			return fmt.Errorf("statement %s: parameter $%s not passed", s.name, p)
		}
	}
	return nil
}
