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
	stmtAggregateActor                         = "aggregate_actor"
	stmtAggregateCompetency                    = "aggregate_competency"
	stmtAggregateNeed                          = "aggregate_need"
	stmtAggregateProject                       = "aggregate_project"
	stmtBackfillHelpersPending                 = "backfill_helpers_pending"
	stmtBackfillPlaceWordsPending              = "backfill_place_words_pending"
	stmtBackfillHelpersSet                     = "backfill_helpers_set"
	stmtBackfillRelFoldsPending                = "backfill_rel_folds_pending"
	stmtBackfillRelFoldsSet                    = "backfill_rel_folds_set"
	stmtChangesSince                           = "changes_since"
	stmtCleanDatabase                          = "clean_database" // DeleteAll, for tests
	stmtCountActor                             = "count_actor"
	stmtCountActorAll                          = "count_actor_all"
	stmtCountActorByCountry                    = "count_actor_by_country"
	stmtCountActorByIds                        = "count_actor_by_ids"
	stmtCountActorByKind                       = "count_actor_by_kind"
	stmtCountActorByName                       = "count_actor_by_name"
	stmtCountActorBySector                     = "count_actor_by_sector"
	stmtCountCompetencyAll                     = "count_competency_all"
	stmtCountCompetencyByCategory              = "count_competency_by_category"
	stmtCountCompetencyByIds                   = "count_competency_by_ids"
	stmtCountCompetencyByName                  = "count_competency_by_name"
	stmtCountNeed                              = "count_need"
	stmtCountNeedAll                           = "count_need_all"
	stmtCountNeedByIds                         = "count_need_by_ids"
	stmtCountNeedByName                        = "count_need_by_name"
	stmtCountNeedByStatus                      = "count_need_by_status"
	stmtCountProject                           = "count_project"
	stmtCountProjectAll                        = "count_project_all"
	stmtCountProjectByIds                      = "count_project_by_ids"
	stmtCountProjectByName                     = "count_project_by_name"
	stmtCountProjectByStatus                   = "count_project_by_status"
	stmtDeleteNode                             = "delete_node"
	stmtGraphVersionInit                       = "graph_version_init"
	stmtListActorByCountryAsc                  = "list_actor_by_country_asc"
	stmtListActorByCountryDesc                 = "list_actor_by_country_desc"
	stmtListActorByIdsAsc                      = "list_actor_by_ids_asc"
	stmtListActorByIdsDesc                     = "list_actor_by_ids_desc"
	stmtListActorByKindAsc                     = "list_actor_by_kind_asc"
	stmtListActorByKindDesc                    = "list_actor_by_kind_desc"
	stmtListActorByNameAsc                     = "list_actor_by_name_asc"
	stmtListActorByNameDesc                    = "list_actor_by_name_desc"
	stmtListActorBySectorAsc                   = "list_actor_by_sector_asc"
	stmtListActorBySectorDesc                  = "list_actor_by_sector_desc"
	stmtListActorCreatedAtAsc                  = "list_actor_created_at_asc"
	stmtListActorCreatedAtDesc                 = "list_actor_created_at_desc"
	stmtListActorIDAsc                         = "list_actor_id_asc"
	stmtListActorIDDesc                        = "list_actor_id_desc"
	stmtListActorNameAsc                       = "list_actor_name_asc"
	stmtListActorNameDesc                      = "list_actor_name_desc"
	stmtListActorUpdatedAtAsc                  = "list_actor_updated_at_asc"
	stmtListActorUpdatedAtDesc                 = "list_actor_updated_at_desc"
	stmtListCompetencyByCategoryAsc            = "list_competency_by_category_asc"
	stmtListCompetencyByCategoryDesc           = "list_competency_by_category_desc"
	stmtListCompetencyByIdsAsc                 = "list_competency_by_ids_asc"
	stmtListCompetencyByIdsDesc                = "list_competency_by_ids_desc"
	stmtListCompetencyByNameAsc                = "list_competency_by_name_asc"
	stmtListCompetencyByNameDesc               = "list_competency_by_name_desc"
	stmtListCompetencyCreatedAtAsc             = "list_competency_created_at_asc"
	stmtListCompetencyCreatedAtDesc            = "list_competency_created_at_desc"
	stmtListCompetencyIDAsc                    = "list_competency_id_asc"
	stmtListCompetencyIDDesc                   = "list_competency_id_desc"
	stmtListCompetencyNameAsc                  = "list_competency_name_asc"
	stmtListCompetencyNameDesc                 = "list_competency_name_desc"
	stmtListCompetencyUpdatedAtAsc             = "list_competency_updated_at_asc"
	stmtListCompetencyUpdatedAtDesc            = "list_competency_updated_at_desc"
	stmtListNeedByIdsAsc                       = "list_need_by_ids_asc"
	stmtListNeedByIdsDesc                      = "list_need_by_ids_desc"
	stmtListNeedByNameAsc                      = "list_need_by_name_asc"
	stmtListNeedByNameDesc                     = "list_need_by_name_desc"
	stmtListNeedByStatusAsc                    = "list_need_by_status_asc"
	stmtListNeedByStatusDesc                   = "list_need_by_status_desc"
	stmtListNeedCreatedAtAsc                   = "list_need_created_at_asc"
	stmtListNeedCreatedAtDesc                  = "list_need_created_at_desc"
	stmtListNeedIDAsc                          = "list_need_id_asc"
	stmtListNeedIDDesc                         = "list_need_id_desc"
	stmtListNeedNameAsc                        = "list_need_name_asc"
	stmtListNeedNameDesc                       = "list_need_name_desc"
	stmtListNeedUpdatedAtAsc                   = "list_need_updated_at_asc"
	stmtListNeedUpdatedAtDesc                  = "list_need_updated_at_desc"
	stmtListProjectByIdsAsc                    = "list_project_by_ids_asc"
	stmtListProjectByIdsDesc                   = "list_project_by_ids_desc"
	stmtListProjectByNameAsc                   = "list_project_by_name_asc"
	stmtListProjectByNameDesc                  = "list_project_by_name_desc"
	stmtListProjectByStatusAsc                 = "list_project_by_status_asc"
	stmtListProjectByStatusDesc                = "list_project_by_status_desc"
	stmtListProjectCreatedAtAsc                = "list_project_created_at_asc"
	stmtListProjectCreatedAtDesc               = "list_project_created_at_desc"
	stmtListProjectIDAsc                       = "list_project_id_asc"
	stmtListProjectIDDesc                      = "list_project_id_desc"
	stmtListProjectNameAsc                     = "list_project_name_asc"
	stmtListProjectNameDesc                    = "list_project_name_desc"
	stmtListProjectUpdatedAtAsc                = "list_project_updated_at_asc"
	stmtListProjectUpdatedAtDesc               = "list_project_updated_at_desc"
	stmtMigrateAwaitIndexes                    = "migrate_await_indexes"
	stmtMigrateChangeVersionUnique             = "migrate_change_version_unique"
	stmtMigrateFulltextNodeSearch              = "migrate_fulltext_node_search"
	stmtMigrateGraphVersionUnique              = "migrate_graph_version_unique"
	stmtMigrateIndexActorCountry               = "migrate_index_actor_country"
	stmtMigrateIndexActorCreatedAt             = "migrate_index_actor_created_at"
	stmtMigrateIndexActorID                    = "migrate_index_actor_id"
	stmtMigrateIndexActorKind                  = "migrate_index_actor_kind"
	stmtMigrateIndexActorSector                = "migrate_index_actor_sector"
	stmtMigrateIndexActorSortName              = "migrate_index_actor_sort_name"
	stmtMigrateIndexActorUpdatedAt             = "migrate_index_actor_updated_at"
	stmtMigrateIndexCompetencyCategory         = "migrate_index_competency_category"
	stmtMigrateIndexCompetencyCreatedAt        = "migrate_index_competency_created_at"
	stmtMigrateIndexCompetencyID               = "migrate_index_competency_id"
	stmtMigrateIndexCompetencySortName         = "migrate_index_competency_sort_name"
	stmtMigrateIndexCompetencyUpdatedAt        = "migrate_index_competency_updated_at"
	stmtMigrateIndexNeedCreatedAt              = "migrate_index_need_created_at"
	stmtMigrateIndexNeedID                     = "migrate_index_need_id"
	stmtMigrateIndexNeedSortName               = "migrate_index_need_sort_name"
	stmtMigrateIndexNeedStatus                 = "migrate_index_need_status"
	stmtMigrateIndexNeedUpdatedAt              = "migrate_index_need_updated_at"
	stmtMigrateIndexProjectCreatedAt           = "migrate_index_project_created_at"
	stmtMigrateIndexProjectID                  = "migrate_index_project_id"
	stmtMigrateIndexProjectSortName            = "migrate_index_project_sort_name"
	stmtMigrateIndexProjectStatus              = "migrate_index_project_status"
	stmtMigrateIndexProjectUpdatedAt           = "migrate_index_project_updated_at"
	stmtMigrateNodeIDUnique                    = "migrate_node_id_unique"
	stmtMigrateSchemaVersionUnique             = "migrate_schema_version_unique"
	stmtMigrateTextIndexActorFoldNameText      = "migrate_text_index_actor_fold_name_text"
	stmtMigrateTextIndexCompetencyFoldNameText = "migrate_text_index_competency_fold_name_text"
	stmtMigrateTextIndexNeedFoldNameText       = "migrate_text_index_need_fold_name_text"
	stmtMigrateTextIndexProjectFoldNameText    = "migrate_text_index_project_fold_name_text"
	stmtNodesByID                              = "nodes_by_id"
	stmtRelsBoth                               = "rels_both"
	stmtRelsByKey                              = "rels_by_key"
	stmtRelsIn                                 = "rels_in"
	stmtRelsOut                                = "rels_out"
	stmtRemoveRel                              = "remove_rel"
	stmtSchemaIndexes                          = "schema_indexes"
	stmtSchemaConstraints                      = "schema_constraints"
	stmtSchemaVersionGet                       = "schema_version_get"
	stmtSchemaVersionSet                       = "schema_version_set"
	stmtSearchRanked                           = "search_ranked"
	stmtSetRelAddresses                        = "set_rel_addresses"
	stmtSetRelHasCompetency                    = "set_rel_has_competency"
	stmtSetRelHasNeed                          = "set_rel_has_need"
	stmtSetRelMemberOf                         = "set_rel_member_of"
	stmtSetRelParticipatesIn                   = "set_rel_participates_in"
	stmtSetRelPartnersWith                     = "set_rel_partners_with"
	stmtSetRelPartOf                           = "set_rel_part_of"
	stmtSetRelSupplies                         = "set_rel_supplies"
	stmtSetRelRequires                         = "set_rel_requires"
	stmtTopologyNodes                          = "topology_nodes"
	stmtTopologyNodesAgain                     = "topology_nodes_again"
	stmtTopologyRels                           = "topology_rels"
	stmtTopologyRelsAgain                      = "topology_rels_again"
	stmtUpsertActor                            = "upsert_actor"
	stmtUpsertCompetency                       = "upsert_competency"
	stmtUpsertNeed                             = "upsert_need"
	stmtUpsertProject                          = "upsert_project"
	stmtVersionBump                            = "version_bump"
	stmtVersionGet                             = "version_get"
	stmtWhereActorAsc                          = "where_actor_asc"
	stmtWhereActorDesc                         = "where_actor_desc"
	stmtWhereActorByIDsAsc                     = "where_actor_by_ids_asc"
	stmtWhereActorByIDsDesc                    = "where_actor_by_ids_desc"
	stmtWhereProjectAsc                        = "where_project_asc"
	stmtWhereProjectDesc                       = "where_project_desc"
	stmtWhereProjectByIDsAsc                   = "where_project_by_ids_asc"
	stmtWhereProjectByIDsDesc                  = "where_project_by_ids_desc"
	stmtWhereNeedAsc                           = "where_need_asc"
	stmtWhereNeedDesc                          = "where_need_desc"
	stmtWhereNeedByIDsAsc                      = "where_need_by_ids_asc"
	stmtWhereNeedByIDsDesc                     = "where_need_by_ids_desc"
	stmtWhereCompetencyAsc                     = "where_competency_asc"
	stmtWhereCompetencyDesc                    = "where_competency_desc"
	stmtWhereCompetencyByIDsAsc                = "where_competency_by_ids_asc"
	stmtWhereActorByKindAsc                    = "where_actor_by_kind_asc"
	stmtWhereActorByKindDesc                   = "where_actor_by_kind_desc"
	stmtWhereProjectByStatusAsc                = "where_project_by_status_asc"
	stmtWhereProjectByStatusDesc               = "where_project_by_status_desc"
	stmtWhereNeedByStatusAsc                   = "where_need_by_status_asc"
	stmtWhereNeedByStatusDesc                  = "where_need_by_status_desc"
	stmtWhereCompetencyByCategoryAsc           = "where_competency_by_category_asc"
	stmtWhereCompetencyByCategoryDesc          = "where_competency_by_category_desc"
	stmtWhereCompetencyByIDsDesc               = "where_competency_by_ids_desc"
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
