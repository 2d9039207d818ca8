// PREPARE, EXECUTE and DEALLOCATE: the SQL forms of prepared statements, over
// the same named statements as the extended protocol's Parse and Close (as in
// PostgreSQL, where a driver's statements are visible to EXECUTE and dropped
// by DEALLOCATE ALL; psycopg 3 sends DEALLOCATE ALL after DDL).
#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

SqlError NoSuchPreparedStatement(const std::string& name) {
  return SqlError(sqlstate::kInvalidSqlStatementName, "prepared statement \"" + name + "\" does not exist");
}

// Keeps the rows a statement returns.
class CollectingSink final : public ResultSink {
 public:
  void Columns(const std::vector<ColumnDesc>&) override {}
  void Row(const tessera::Row& row) override { rows.push_back(row); }
  void Complete(const std::string&) override {}
  void EmptyQuery() override {}
  void Notice(const std::string&, const std::string&, const std::string&) override {}
  std::vector<tessera::Row> rows;
};

Type ResolveParamType(const ast::TypeName& name) {
  auto mod = [&](size_t i) { return name.modifiers.size() > i ? std::optional(name.modifiers[i]) : std::nullopt; };
  Type type = ResolveTypeName(name.name, mod(0), mod(1));
  return name.is_array ? ArrayTypeFor(type) : type;
}

}  // namespace

void SqlSession::RunPrepare(const ast::PrepareStmt& stmt, ResultSink& sink) {
  if (statements_.count(stmt.name))
    throw SqlError(sqlstate::kDuplicatePreparedStatement, "prepared statement \"" + stmt.name + "\" already exists");
  std::vector<Type> types;
  for (const ast::TypeName& name : stmt.param_types) types.push_back(ResolveParamType(name));
  auto prepared = std::dynamic_pointer_cast<SqlPrepared>(Prepare(stmt.query, types));
  prepared->from_sql_ = true;
  prepared->prepare_text_ = current_sql_;
  statements_[stmt.name] = prepared;
  sink.Complete("PREPARE");
}

std::vector<Value> SqlSession::EvaluateExecuteArgs(const ast::ExecuteStmt& stmt, const std::vector<Type>& types) {
  if (!stmt.args) return {};
  // The arguments are planned and run as SELECT arg, ... (they may be any
  // expression without columns), then assigned to the parameters' types as
  // PostgreSQL coerces them.
  auto args = std::make_shared<SqlPrepared>();
  args->plan_ = std::make_shared<planner::PlannedQuery>(
      Plan(*stmt.args, *SessionCatalog().Snapshot(), {}));
  CollectingSink rows;
  SqlPortal portal(*this, args, {});
  portal.Execute(0, rows);
  TS_ASSERT(rows.rows.size() == 1, "EXECUTE's arguments gave one row");
  std::vector<Value> values = std::move(rows.rows[0]);
  for (size_t i = 0; i < values.size(); ++i)
    if (!values[i].IsNull()) values[i] = values[i].CastTo(types[i], settings_.Format(), false);
  return values;
}

void SqlSession::RunExecute(const ast::ExecuteStmt& stmt, ResultSink& sink, bool describe_columns) {
  auto it = statements_.find(stmt.name);
  if (it == statements_.end()) throw NoSuchPreparedStatement(stmt.name);
  auto named = std::dynamic_pointer_cast<SqlPrepared>(it->second);
  TS_ASSERT(named != nullptr, "foreign prepared statement");
  if (!named->plan_)
    throw SqlError::FeatureNotSupported("EXECUTE of a prepared statement that is not a query or a write is not supported");
  RefreshPlan(*named);
  if (stmt.arg_count != named->param_types_.size())
    throw SqlError(sqlstate::kSyntaxError, "wrong number of parameters for prepared statement \"" + stmt.name + "\"",
                   "Expected " + std::to_string(named->param_types_.size()) + " parameters but got " +
                       std::to_string(stmt.arg_count) + ".");
  std::vector<Value> params = EvaluateExecuteArgs(stmt, named->param_types_);
  // Runs as RunStatement runs a query: the session, not the portal, ends
  // the statement (the named statement itself stays as it is).
  auto run = std::make_shared<SqlPrepared>();
  run->sql_ = named->sql_;
  run->plan_ = named->plan_;
  run->param_types_ = named->param_types_;
  run->columns_ = named->columns_;
  if (describe_columns && run->plan_->returns_rows) sink.Columns(run->columns_);
  SqlPortal portal(*this, run, std::move(params));
  portal.Execute(0, sink);
}

void SqlSession::RunDeallocate(const ast::DeallocateStmt& stmt, ResultSink& sink) {
  if (stmt.all) {
    // Every named statement; the unnamed one is not in PostgreSQL's list either.
    for (auto it = statements_.begin(); it != statements_.end();) it = it->first.empty() ? std::next(it) : statements_.erase(it);
    sink.Complete("DEALLOCATE ALL");
    return;
  }
  if (statements_.erase(stmt.name) == 0) throw NoSuchPreparedStatement(stmt.name);
  sink.Complete("DEALLOCATE");
}

}  // namespace tessera::executor
