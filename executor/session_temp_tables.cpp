// Temporary tables (ARCHITECTURE.md, "Temporary tables"): ordinary catalog
// entries in the session's temp schema pg_temp_<n> (common/temp_schema.h),
// dropped when the session ends, by DISCARD TEMP, by ON COMMIT DROP, and, for
// a session that could not clean up (a crash), by DropLeftoverTempTables.
#include <spdlog/spdlog.h>

#include <map>

#include "catalog/system/class_entries.h"
#include "common/temp_schema.h"
#include "executor/discard_sink.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

// DROP TABLE of `tables` (qualified by their temp schema), CASCADE: a view
// or foreign key on them can only be another temp table of the same session.
std::string DropTablesSql(const std::vector<const catalog::TableInfo*>& tables) {
  std::string sql = "DROP TABLE IF EXISTS ";
  for (size_t i = 0; i < tables.size(); ++i)
    sql += (i ? ", " : "") + catalog::system::QuoteIdent(tables[i]->schema) + "." +
           catalog::system::QuoteIdent(tables[i]->name);
  return sql + " CASCADE";
}

}  // namespace

int64_t Backend::ClaimTempSchema() {
  int64_t n = AllocateRange("temp_schema", 1);
  std::lock_guard lock(temp_schemas_mutex_);
  temp_schemas_.insert(n);
  return n;
}

void Backend::ReleaseTempSchema(int64_t n) {
  std::lock_guard lock(temp_schemas_mutex_);
  temp_schemas_.erase(n);
}

bool Backend::TempSchemaLive(int64_t n) {
  std::lock_guard lock(temp_schemas_mutex_);
  return temp_schemas_.contains(n);
}

void DropLeftoverTempTables(Backend& db) {
  try {
    auto snapshot = db.Catalog().Snapshot();
    std::vector<const catalog::TableInfo*> leftovers;
    std::map<int64_t, bool> live;
    for (const auto& [id, table] : snapshot->Tables()) {
      auto n = TempSchemaNumber(table.schema);
      if (!n) continue;
      auto it = live.find(*n);
      if (it == live.end()) it = live.emplace(*n, db.TempSchemaLive(*n)).first;
      if (!it->second) leftovers.push_back(&table);
    }
    if (leftovers.empty()) return;
    const catalog::RoleInfo* superuser = snapshot->FindRoleById(10);
    if (superuser == nullptr) return;
    // A session of its own, as the bootstrap superuser, which may drop any
    // temp schema's tables (PostgreSQL's autovacuum removes orphaned ones).
    SqlSession session(db);
    session.Start({{"user", superuser->name}});
    DiscardSink sink;
    session.ExecuteSimple(DropTablesSql(leftovers), sink);
    spdlog::info("dropped {} leftover temporary table(s)", leftovers.size());
  } catch (const std::exception& e) {
    spdlog::warn("could not drop leftover temporary tables: {}", e.what());
  }
}

const std::string& SqlSession::EnsureTempSchema() {
  if (!temp_schema_.empty()) return temp_schema_;
  // Before taking a schema: what crashed sessions left behind goes (the
  // nearest PostgreSQL has is clearing pg_temp_<n> when n is reused).
  DropLeftoverTempTables(db_);
  temp_schema_ = TempSchemaName(db_.ClaimTempSchema());
  return temp_schema_;
}

std::vector<const catalog::TableInfo*> SqlSession::OwnTempTables(const catalog::CatalogSnapshot& snapshot) const {
  std::vector<const catalog::TableInfo*> tables;
  if (temp_schema_.empty()) return tables;
  for (const auto& [id, table] : snapshot.Tables())
    if (table.schema == temp_schema_) tables.push_back(&table);
  return tables;
}

void SqlSession::DropOwnTempTables() noexcept {
  if (temp_schema_.empty()) return;
  try {
    auto tables = OwnTempTables(*db_.Catalog().Snapshot());
    if (!tables.empty()) {
      // A cancel of the client's last statement (pg_terminate_backend's, or
      // the one a closed socket sends) is not this drop's; the session is
      // ending, so none of its statements is left to cancel after it.
      ending_.store(true);
      cancel_.store(false);
      DiscardSink sink;
      ExecuteSimple(DropTablesSql(tables), sink);
    }
  } catch (const std::exception& e) {
    // Left for DropLeftoverTempTables once the schema is released.
    spdlog::warn("could not drop the temporary tables of {}: {}", temp_schema_, e.what());
  }
  auto n = TempSchemaNumber(temp_schema_);
  temp_schema_.clear();
  on_commit_.clear();
  try {
    if (n) db_.ReleaseTempSchema(*n);
  } catch (const std::exception& e) {
    spdlog::warn("could not release temp schema {}: {}", *n, e.what());
  }
}

void SqlSession::DiscardTemp() {
  auto tables = OwnTempTables(*SessionCatalog().Snapshot());
  on_commit_.clear();
  if (tables.empty()) return;
  ast::DropTableStmt drop;
  for (const catalog::TableInfo* table : tables) drop.tables.push_back({table->schema, table->name});
  drop.if_exists = true;
  drop.cascade = true;
  DiscardSink sink;
  RunDdl(drop, sink);
}

void SqlSession::NoteOnCommit(const ast::CreateTableStmt& stmt) {
  if (stmt.on_commit != 'd' && stmt.on_commit != 'D') return;
  if (const catalog::TableInfo* table = SessionCatalog().Snapshot()->FindTable(temp_schema_, stmt.table.name))
    on_commit_[table->id] = stmt.on_commit;
}

void SqlSession::RunOnCommitActions() {
  if (on_commit_.empty() || !txn_) return;
  auto snapshot = SessionCatalog().Snapshot();
  DiscardSink sink;
  for (auto it = on_commit_.begin(); it != on_commit_.end();) {
    const catalog::TableInfo* table = snapshot->FindTableById(it->first);
    if (table == nullptr) {  // dropped, or its creation rolled back
      it = on_commit_.erase(it);
      continue;
    }
    ast::QualifiedName name{table->schema, table->name};
    if (it->second == 'D') {
      ast::DropTableStmt drop;
      drop.tables.push_back(name);
      drop.cascade = true;
      RunDdl(drop, sink);
      it = on_commit_.erase(it);
      continue;
    }
    ast::TruncateStmt empty;
    empty.tables.push_back(name);
    RunDdl(empty, sink);
    ++it;
  }
}

}  // namespace tessera::executor
