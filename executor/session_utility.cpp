// Utility statements: SET/SHOW/RESET, EXPLAIN, DDL, VACUUM/ANALYZE.
#include "common/error.h"
#include "executor/ddl_executor.h"
#include "executor/discard_sink.h"
#include "executor/embedded_database.h"
#include "executor/sql_session.h"

namespace tessera::executor {

void SqlSession::RunShow(const ast::ShowStmt& stmt, ResultSink& sink, bool describe_columns) {
  Type text = Type::Of(TypeId::kText);
  if (stmt.name == "all") {
    if (describe_columns) sink.Columns({{"name", 0, 0, text}, {"setting", 0, 0, text}, {"description", 0, 0, text}});
    auto rows = settings_.ShowAll();
    for (auto& r : rows) sink.Row({Value::Text(r[0]), Value::Text(r[1]), Value::Text(r[2])});
    sink.Complete("SHOW");
    return;
  }
  std::string value = settings_.Show(stmt.name);
  if (describe_columns) sink.Columns({{settings_.CanonicalName(stmt.name), 0, 0, text}});
  sink.Row({Value::Text(value)});
  sink.Complete("SHOW");
}

void SqlSession::RunExplain(const ast::ExplainStmt& stmt, ResultSink& sink, bool describe_columns) {
  const ast::Statement& inner = *stmt.statement;
  if (inner.kind != ast::StmtKind::kSelect && inner.kind != ast::StmtKind::kInsert &&
      inner.kind != ast::StmtKind::kUpdate && inner.kind != ast::StmtKind::kDelete)
    throw SqlError::FeatureNotSupported("EXPLAIN is only supported for SELECT, INSERT, UPDATE and DELETE");
  planner::PlannedQuery plan = Plan(inner, *SessionCatalog().Snapshot(), {});
  FragmentStats stats;
  if (stmt.analyze) {
    // EXPLAIN ANALYZE runs the statement (its writes included), discarding rows.
    DiscardSink discard;
    auto prepared = std::make_shared<SqlPrepared>();
    prepared->plan_ = std::make_shared<planner::PlannedQuery>(plan);
    SqlPortal portal(*this, prepared, {});
    portal.stats_ = &stats;
    portal.Execute(0, discard);
  }
  auto details = [&](const planner::Fragment& fragment) {
    std::vector<std::string> lines;
    if (std::string placement = db_.FragmentPlacement(fragment); !placement.empty()) lines.push_back(placement);
    auto runs = stats.runs.find(&fragment);
    if (runs == stats.runs.end()) return lines;
    for (auto& run : runs->second) {
      char text[160];
      std::snprintf(text, sizeof text, "Actual: %s%s rows=%zu%s time=%.3f ms",
                    run.group < 0 ? "in-process" : "group ", run.group < 0 ? "" : std::to_string(run.group).c_str(),
                    run.rows, run.affected ? (" written=" + std::to_string(run.affected)).c_str() : "",
                    static_cast<double>(run.micros) / 1000.0);
      lines.push_back(text);
    }
    return lines;
  };
  if (describe_columns) sink.Columns({{"QUERY PLAN", 0, 0, Type::Of(TypeId::kText)}});
  // PostgreSQL's "Sort Method: quicksort  Memory: 25kB".
  auto sort_details = [&](const planner::LogicalOperator& node) {
    std::vector<std::string> lines;
    auto sort = stats.sorts.find(&node);
    if (sort == stats.sorts.end()) return lines;
    int64_t kb = (sort->second.bytes + 1023) / 1024;
    lines.push_back("Sort Method: " + sort->second.method + "  " + (sort->second.disk ? "Disk: " : "Memory: ") +
                    std::to_string(kb) + "kB");
    return lines;
  };
  for (auto& line : planner::ExplainQuery(plan, details, sort_details)) sink.Row({Value::Text(line)});
  sink.Complete("EXPLAIN");
}

std::string SqlSession::RunDdl(const ast::Statement& stmt, ResultSink& sink,
                               const std::vector<catalog::ColumnInfo>* query_columns, bool* skipped) {
  Backend& db = db_;
  BackendTxn& txn = StatementTxn();
  std::unique_ptr<FragmentExecutor> fragments = txn.Fragments(Services());
  // The DDL stays this transaction's until COMMIT (ddl_block_catalog.h); a
  // failed statement fails the transaction, which forgets all of it.
  if (!block_catalog_) block_catalog_ = std::make_unique<BlockCatalog>(db_.Catalog());
  DdlExecutor ddl(
      *block_catalog_, txn.Kv(), *fragments,
      [&sink](const std::string& code, const std::string& message) { sink.Notice("NOTICE", code, message); },
      [&db](const std::string& counter, int64_t count) { return db.AllocateRange(counter, count); });
  CheckTableShareLocks(stmt);
  ddl.SetRole(CurrentRole().oid);
  ddl.SetBuildSnapshot([&db](uint32_t table_id) { return db.Catalog().Snapshot()->FindTableById(table_id) == nullptr; },
                       [&txn] {
                         if (txn.Isolation() != IsolationLevel::kReadCommitted) return false;
                         txn.RefreshSnapshot();
                         return true;
                       });
  ddl.SetTempSchema([this]() -> const std::string& { return EnsureTempSchema(); });
  ddl.SetQueryColumns(query_columns);
  std::string tag = ddl.Execute(stmt);
  if (skipped != nullptr) *skipped = ddl.SkippedExisting();
  if (stmt.kind == ast::StmtKind::kCreateTable) NoteOnCommit(stmt.As<ast::CreateTableStmt>());
  return tag;
}

int64_t SqlSession::NextVal(const std::string& qualified_name) {
  int64_t value = 0;
  // nextval needs USAGE or UPDATE on the sequence, a serial column's default too (as in PostgreSQL).
  {
    auto [schema, name] = SplitQualifiedName(qualified_name);
    auto snapshot = SessionCatalog().Snapshot();
    if (const catalog::SequenceInfo* seq = snapshot->FindSequence(schema, name))
      catalog::CheckSequencePrivileges(*snapshot, *seq, CurrentRole().oid,
                                       catalog::privilege::kUsage | catalog::privilege::kUpdate);
  }
  if (!block_catalog_) {
    value = db_.NextVal(qualified_name);
  } else {
    auto [schema, name] = SplitQualifiedName(qualified_name);
    value = block_catalog_->NextVal(schema, name);
  }
  currvals_[qualified_name] = value;
  last_sequence_ = qualified_name;
  return value;
}

int64_t SqlSession::SequenceCall(planner::SequenceOp op, const std::string& qualified_name, int64_t value,
                                 bool is_called) {
  using planner::SequenceOp;
  auto [schema, name] = SplitQualifiedName(op == SequenceOp::kLastVal ? last_sequence_ : qualified_name);
  auto snapshot = SessionCatalog().Snapshot();
  const catalog::SequenceInfo* seq = snapshot->FindSequence(schema, name);
  // currval and lastval need SELECT or USAGE, setval UPDATE (nextval: NextVal).
  if (seq != nullptr && op != SequenceOp::kNextVal)
    catalog::CheckSequencePrivileges(*snapshot, *seq, CurrentRole().oid,
                                     op == SequenceOp::kSetVal ? catalog::privilege::kUpdate
                                                               : catalog::privilege::kSelect | catalog::privilege::kUsage);
  switch (op) {
    case SequenceOp::kLastVal:
      // Also when the sequence was dropped since, as PostgreSQL.
      if (last_sequence_.empty() || !seq)
        throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "lastval is not yet defined in this session");
      return currvals_.at(last_sequence_);
    case SequenceOp::kCurrVal: {
      auto it = currvals_.find(qualified_name);
      if (it == currvals_.end())
        throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                       "currval of sequence \"" + name + "\" is not yet defined in this session");
      return it->second;
    }
    case SequenceOp::kSetVal:
      if (!seq) throw SqlError::UndefinedTable(name);
      if (value < seq->min_value || value > seq->max_value)
        throw SqlError(sqlstate::kNumericValueOutOfRange,
                       "setval: value " + std::to_string(value) + " is out of bounds for sequence \"" + name + "\" (" +
                           std::to_string(seq->min_value) + ".." + std::to_string(seq->max_value) + ")");
      SessionCatalog().SetSequenceValue(schema, name, value, is_called);
      if (is_called) currvals_[qualified_name] = value;
      return value;
    case SequenceOp::kNextVal: return NextVal(qualified_name);
  }
  return 0;
}

void SqlSession::RunUtility(const ast::Statement& stmt, ResultSink& sink, bool describe_columns) {
  switch (stmt.kind) {
    case ast::StmtKind::kTransaction: RunTransaction(stmt.As<ast::TransactionStmt>(), sink); return;
    case ast::StmtKind::kSet: RunSet(stmt.As<ast::SetStmt>(), sink); return;
    case ast::StmtKind::kReset:
      if (stmt.As<ast::ResetStmt>().name == "role") {
        SetRole(ast::SetStmt());  // RESET ROLE: back to the session user (is_superuser too)
      } else {
        settings_.Reset(stmt.As<ast::ResetStmt>().name);
      }
      sink.Complete("RESET");
      return;
    case ast::StmtKind::kShow: RunShow(stmt.As<ast::ShowStmt>(), sink, describe_columns); return;
    case ast::StmtKind::kExplain: RunExplain(stmt.As<ast::ExplainStmt>(), sink, describe_columns); return;
    case ast::StmtKind::kVacuum: {
      const auto& v = stmt.As<ast::VacuumStmt>();
      for (auto& t : v.tables)
        if (!SessionCatalog().Snapshot()->FindTable(t.schema, t.name)) throw SqlError::UndefinedTable(t.ToString());
      // VACUUM ANALYZE and ANALYZE parse alike; the tag follows the statement's first word.
      size_t first = current_sql_.find_first_not_of(" \t\r\n(");
      bool analyze = first != std::string::npos && (current_sql_.compare(first, 5, "analy") == 0 ||
                                                    current_sql_.compare(first, 5, "ANALY") == 0);
      sink.Complete(analyze ? "ANALYZE" : "VACUUM");
      return;
    }
    case ast::StmtKind::kCopy: RunCopy(stmt.As<ast::CopyStmt>(), sink); return;
    case ast::StmtKind::kEmpty: sink.EmptyQuery(); return;
    case ast::StmtKind::kCreateTable:
      if (stmt.As<ast::CreateTableStmt>().as_insert) {
        RunCreateTableAs(stmt.As<ast::CreateTableStmt>(), sink);
        return;
      }
      [[fallthrough]];
    case ast::StmtKind::kDropTable:
    case ast::StmtKind::kCreateIndex:
    case ast::StmtKind::kDropIndex:
    case ast::StmtKind::kCreateView:
    case ast::StmtKind::kDropView:
    case ast::StmtKind::kAlterTable:
    case ast::StmtKind::kTruncate:
    case ast::StmtKind::kCreateSequence:
    case ast::StmtKind::kDropSequence:
    case ast::StmtKind::kComment: sink.Complete(RunDdl(stmt, sink)); return;
    case ast::StmtKind::kAlterSequence:
      // Its changes go to the shared catalog at once, which a block's ROLLBACK could not take back.
      if (in_block_) throw SqlError::FeatureNotSupported("ALTER SEQUENCE inside a transaction block is not supported");
      sink.Complete(RunDdl(stmt, sink));
      return;
    case ast::StmtKind::kCreateRole:
    case ast::StmtKind::kAlterRole:
    case ast::StmtKind::kDropRole: sink.Complete(RunRole(stmt, sink)); return;
    case ast::StmtKind::kGrant: sink.Complete(RunGrant(stmt.As<ast::GrantStmt>(), sink)); return;
    case ast::StmtKind::kGrantRole: sink.Complete(RunGrantRole(stmt.As<ast::GrantRoleStmt>(), sink)); return;
    case ast::StmtKind::kAlterOwner:
      CheckTableShareLocks(stmt);
      sink.Complete(RunAlterOwner(stmt.As<ast::AlterOwnerStmt>(), sink));
      return;
    case ast::StmtKind::kReassignOwned: sink.Complete(RunReassignOwned(stmt.As<ast::ReassignOwnedStmt>(), sink)); return;
    case ast::StmtKind::kDropOwned: sink.Complete(RunDropOwned(stmt.As<ast::DropOwnedStmt>(), sink)); return;
    case ast::StmtKind::kPrepare: RunPrepare(stmt.As<ast::PrepareStmt>(), sink); return;
    case ast::StmtKind::kExecute: RunExecute(stmt.As<ast::ExecuteStmt>(), sink, describe_columns); return;
    case ast::StmtKind::kDeallocate: RunDeallocate(stmt.As<ast::DeallocateStmt>(), sink); return;
    case ast::StmtKind::kDeclareCursor: RunDeclareCursor(stmt.As<ast::DeclareCursorStmt>(), sink); return;
    case ast::StmtKind::kFetch: RunFetch(stmt.As<ast::FetchStmt>(), sink, describe_columns); return;
    case ast::StmtKind::kCloseCursor: RunCloseCursor(stmt.As<ast::CloseCursorStmt>(), sink); return;
    case ast::StmtKind::kDiscard: RunDiscard(stmt.As<ast::DiscardStmt>(), sink); return;
    case ast::StmtKind::kLock: RunLock(stmt.As<ast::LockStmt>(), sink); return;
    default: throw SqlError::Internal("statement kind not handled");
  }
}

}  // namespace tessera::executor
