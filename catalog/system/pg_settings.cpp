// pg_catalog.pg_settings, PostgreSQL 15's view of the session's settings:
// the rows come from the planning session (session_relations.h), as SHOW
// ALL's do. pg_dump looks a setting up here before it set_config()s it.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {

std::vector<Row> SessionSettingRows(const CatalogSnapshot& snapshot);  // session_relations.cpp

extern const SystemRelation kPgSettings{"pg_catalog",
                                        "pg_settings",
                                        12104,
                                        {{"name", "text"},
                                         {"setting", "text"},
                                         {"unit", "text"},
                                         {"category", "text"},
                                         {"short_desc", "text"},
                                         {"extra_desc", "text"},
                                         {"context", "text"},
                                         {"vartype", "text"},
                                         {"source", "text"},
                                         {"min_val", "text"},
                                         {"max_val", "text"},
                                         {"enumvals", "text[]"},
                                         {"boot_val", "text"},
                                         {"reset_val", "text"},
                                         {"sourcefile", "text"},
                                         {"sourceline", "integer"},
                                         {"pending_restart", "boolean"}},
                                        SessionSettingRows};

}  // namespace tessera::catalog::system
