// pg_catalog.pg_cursors and pg_catalog.pg_prepared_statements, PostgreSQL 15's
// views, from the rows the planning session lends (session_relations.h).
#include "catalog/system/session_relations.h"

#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {

namespace {

thread_local const SessionRows* current = nullptr;
thread_local bool read = false;

std::vector<Row> CursorRows(const CatalogSnapshot&) {
  read = true;
  return current ? current->Cursors() : std::vector<Row>{};
}

std::vector<Row> PreparedStatementRows(const CatalogSnapshot&) {
  read = true;
  return current ? current->PreparedStatements() : std::vector<Row>{};
}

}  // namespace

std::vector<Row> SessionSettingRows(const CatalogSnapshot&) {
  read = true;
  return current ? current->Settings() : std::vector<Row>{};
}

std::optional<Row> CurrentSequenceRow(const std::string& schema, const std::string& name) {
  read = true;
  return current ? current->SequenceRow(schema, name) : std::nullopt;
}

const SessionRows* CurrentSessionRows() { return current; }

const SessionRows* ReadSessionRows() {
  read = true;
  return current;
}

bool TakeSessionRowsRead() {
  bool was = read;
  read = false;
  return was;
}

ScopedSessionRows::ScopedSessionRows(const SessionRows* rows) : previous_(current) { current = rows; }

ScopedSessionRows::~ScopedSessionRows() { current = previous_; }

extern const SystemRelation kPgCursors{"pg_catalog",
                                       "pg_cursors",
                                       12077,
                                       {{"name", "text"},
                                        {"statement", "text"},
                                        {"is_holdable", "boolean"},
                                        {"is_binary", "boolean"},
                                        {"is_scrollable", "boolean"},
                                        {"creation_time", "timestamp with time zone"}},
                                       CursorRows};

extern const SystemRelation kPgPreparedStatements{"pg_catalog",
                                                  "pg_prepared_statements",
                                                  12095,
                                                  {{"name", "text"},
                                                   {"statement", "text"},
                                                   {"prepare_time", "timestamp with time zone"},
                                                   {"parameter_types", "regtype[]"},
                                                   {"from_sql", "boolean"},
                                                   {"generic_plans", "bigint"},
                                                   {"custom_plans", "bigint"}},
                                                  PreparedStatementRows};

}  // namespace tessera::catalog::system
