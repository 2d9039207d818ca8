// DECLARE, FETCH/MOVE, CLOSE and DISCARD. A cursor is a portal the session
// keeps by name (sql_cursor.h) for the rest of its transaction: COMMIT and
// ROLLBACK close them (COMMIT keeps the rows of those WITH HOLD, which then
// live until CLOSE), ROLLBACK TO those declared after the savepoint.
#include <new>

#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

SqlError NoSuchCursor(const std::string& name) {
  return SqlError(sqlstate::kInvalidCursorName, "cursor \"" + name + "\" does not exist");
}

}  // namespace

void SqlSession::RunDeclareCursor(const ast::DeclareCursorStmt& stmt, ResultSink& sink) {
  // The query first, as PostgreSQL analyses it before it runs the DECLARE.
  std::vector<Type> types = bound_types_ ? *bound_types_ : std::vector<Type>{};
  auto prepared = std::make_shared<SqlPrepared>();
  prepared->sql_ = stmt.query_text;
  prepared->plan_ = std::make_shared<planner::PlannedQuery>(Plan(*stmt.query, *SessionCatalog().Snapshot(), types));
  prepared->param_types_ = prepared->plan_->param_types;
  prepared->columns_ = ToColumnDescs(prepared->plan_->columns);
  // WITH HOLD may be declared outside a block: its statement's COMMIT keeps the rows.
  if (!stmt.hold && !in_block_)
    throw SqlError(sqlstate::kNoActiveSqlTransaction, "DECLARE CURSOR can only be used in transaction blocks");
  if (cursors_.count(stmt.name))
    throw SqlError(sqlstate::kDuplicateCursor, "cursor \"" + stmt.name + "\" already exists");
  std::vector<Value> params = bound_params_ ? *bound_params_ : std::vector<Value>{};
  auto portal = std::make_unique<SqlPortal>(*this, prepared, std::move(params));
  portal->StartForCursor();
  SqlCursor::Info info;
  info.name = stmt.name;
  info.statement = current_sql_;
  info.scroll = stmt.scroll;
  info.hold = stmt.hold;
  info.binary = stmt.binary;
  info.creation_time = statement_start_;
  info.savepoint_depth = savepoints_.size();
  cursors_[stmt.name] = std::make_unique<SqlCursor>(std::move(info), std::move(portal), StatementMemoryLimit());
  sink.Complete("DECLARE CURSOR");
}

void SqlSession::RunFetch(const ast::FetchStmt& stmt, ResultSink& sink, bool describe_columns) {
  auto it = cursors_.find(stmt.name);
  if (it == cursors_.end()) throw NoSuchCursor(stmt.name);
  SqlCursor& cursor = *it->second;
  if (stmt.move) {
    sink.Complete("MOVE " + std::to_string(cursor.Fetch(stmt.direction, stmt.count, nullptr)));
    return;
  }
  // A BINARY cursor's rows are binary in a simple query; through the
  // extended protocol the FETCH's Bind chooses, as in PostgreSQL.
  if (describe_columns && cursor.Details().binary)
    sink.BinaryColumns(cursor.Columns());
  else if (describe_columns)
    sink.Columns(cursor.Columns());
  sink.Complete("FETCH " + std::to_string(cursor.Fetch(stmt.direction, stmt.count, &sink)));
}

void SqlSession::RunCloseCursor(const ast::CloseCursorStmt& stmt, ResultSink& sink) {
  if (stmt.all) {
    cursors_.clear();
    sink.Complete("CLOSE CURSOR ALL");
    return;
  }
  if (cursors_.erase(stmt.name) == 0) throw NoSuchCursor(stmt.name);
  sink.Complete("CLOSE CURSOR");
}

const std::vector<ColumnDesc>* SqlSession::CursorColumns(const std::string& name) const {
  auto it = cursors_.find(name);
  return it == cursors_.end() ? nullptr : &it->second->Columns();
}

void SqlSession::EndCursors(bool commit) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    SqlCursor& cursor = *it->second;
    if (cursor.Details().committed) {
      ++it;
      continue;
    }
    if (commit && cursor.Details().hold) {
      cursor.Hold();  // a failure fails the COMMIT, whose rollback then closes it
      cursor.Details().savepoint_depth = 0;
      ++it;
      continue;
    }
    it = cursors_.erase(it);
  }
}

void SqlSession::RollbackCursorsTo(size_t index) {
  for (auto it = cursors_.begin(); it != cursors_.end();) {
    if (it->second->Details().savepoint_depth > index) {
      it = cursors_.erase(it);
      continue;
    }
    // Older cursors stay: the rest of their rows is read before the writes
    // go (a suspended portal could point into them). If that fails (53200),
    // the ROLLBACK TO still goes on; the cursor is then broken (55000).
    try {
      it->second->Hold();
    } catch (const SqlError&) {
    } catch (const std::bad_alloc&) {
    }
    ++it;
  }
}

void SqlSession::ReleaseCursorsTo(size_t depth) {
  for (auto& [name, cursor] : cursors_)
    if (cursor->Details().savepoint_depth > depth) cursor->Details().savepoint_depth = depth;
}

void SqlSession::RunDiscard(const ast::DiscardStmt& stmt, ResultSink& sink) {
  switch (stmt.target) {
    case ast::DiscardTarget::kAll:
      if (in_block_)
        throw SqlError(sqlstate::kActiveSqlTransaction, "DISCARD ALL cannot run inside a transaction block");
      // PostgreSQL's DiscardAll: the session's role, settings, prepared
      // statements, cursors and sequence state, as a new connection has them.
      SetRole(ast::SetStmt());
      settings_.Reset("all");
      for (auto it = statements_.begin(); it != statements_.end();)
        it = it->first.empty() ? std::next(it) : statements_.erase(it);
      cursors_.clear();
      currvals_.clear();
      last_sequence_.clear();
      DiscardTemp();
      sink.Complete("DISCARD ALL");
      return;
    case ast::DiscardTarget::kPlans:
      // Every kept statement plans again at its next use (RefreshPlan).
      for (auto& [name, statement] : statements_)
        if (auto prepared = std::dynamic_pointer_cast<SqlPrepared>(statement)) prepared->catalog_version_ = 0;
      sink.Complete("DISCARD PLANS");
      return;
    case ast::DiscardTarget::kSequences:
      currvals_.clear();
      last_sequence_.clear();
      sink.Complete("DISCARD SEQUENCES");
      return;
    case ast::DiscardTarget::kTemp:
      DiscardTemp();
      sink.Complete("DISCARD TEMP");
      return;
  }
}

}  // namespace tessera::executor
