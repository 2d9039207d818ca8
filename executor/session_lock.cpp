// LOCK TABLE (issue 11). Tessera holds one mode: ACCESS SHARE, what pg_dump
// takes, in the process-wide registry of table_share_locks.h; DDL that
// would take ACCESS EXCLUSIVE checks it (CheckTableShareLocks). The other
// modes would have to hold off concurrent writers, which Tessera's row
// locks cannot express, so they are refused with 0A000 rather than taken
// without effect.
#include "catalog/acl.h"
#include "executor/sql_session.h"
#include "executor/table_share_locks.h"

namespace tessera::executor {

void SqlSession::RunLock(const ast::LockStmt& stmt, ResultSink& sink) {
  if (!in_block_)
    throw SqlError(sqlstate::kNoActiveSqlTransaction, "LOCK TABLE can only be used in transaction blocks");
  if (stmt.mode != "ACCESS SHARE")
    throw SqlError::FeatureNotSupported("LOCK TABLE IN " + stmt.mode + " MODE is not supported (only ACCESS SHARE)");
  if (!db_.SingleProcess())
    throw SqlError::FeatureNotSupported(
        "LOCK TABLE is not supported on a cluster: its gateways could not see each other's locks");
  auto snapshot = SessionCatalog().Snapshot();
  std::vector<uint32_t> ids;
  for (const ast::QualifiedName& name : stmt.tables) {
    const catalog::TableInfo* table = snapshot->FindTable(name.schema, name.name);
    if (!table) {
      if (snapshot->FindSequence(name.schema, name.name))
        throw SqlError(sqlstate::kWrongObjectType, "cannot lock relation \"" + name.name + "\"",
                       "This operation is not supported for sequences.");
      throw SqlError::UndefinedTable(name.ToString());
    }
    // PostgreSQL's LockTableAclCheck: ACCESS SHARE needs SELECT.
    catalog::CheckTablePrivileges(*snapshot, *table, CurrentRole().oid, catalog::privilege::kSelect);
    ids.push_back(table->id);
  }
  for (uint32_t id : ids) TableShareLocks::Process().Acquire(this, id);
  sink.Complete("LOCK TABLE");
}

void SqlSession::ReleaseTableLocks() { TableShareLocks::Process().ReleaseAll(this); }

// The tables a DDL statement would hold in ACCESS EXCLUSIVE mode in
// PostgreSQL; 55P03 when another session holds one in ACCESS SHARE mode.
void SqlSession::CheckTableShareLocks(const ast::Statement& stmt) {
  std::vector<const ast::QualifiedName*> names;
  switch (stmt.kind) {
    case ast::StmtKind::kDropTable:
      for (auto& n : static_cast<const ast::DropTableStmt&>(stmt).tables) names.push_back(&n);
      break;
    case ast::StmtKind::kDropView:
      for (auto& n : static_cast<const ast::DropViewStmt&>(stmt).views) names.push_back(&n);
      break;
    case ast::StmtKind::kTruncate:
      for (auto& n : static_cast<const ast::TruncateStmt&>(stmt).tables) names.push_back(&n);
      break;
    case ast::StmtKind::kAlterTable:
      names.push_back(&static_cast<const ast::AlterTableStmt&>(stmt).table);
      break;
    case ast::StmtKind::kAlterOwner:
      names.push_back(&static_cast<const ast::AlterOwnerStmt&>(stmt).relation);
      break;
    default:
      return;
  }
  auto snapshot = SessionCatalog().Snapshot();
  for (const ast::QualifiedName* name : names)
    if (const catalog::TableInfo* table = snapshot->FindTable(name->schema, name->name)) CheckTableShareLock(*table);
}

void SqlSession::CheckTableShareLock(const catalog::TableInfo& table) {
  if (TableShareLocks::Process().HeldByOther(this, table.id))
    throw SqlError("55P03", "could not obtain lock on relation \"" + table.name + "\"",
                   "Another session holds it in ACCESS SHARE mode (LOCK TABLE) until its transaction ends.");
}

}  // namespace tessera::executor
