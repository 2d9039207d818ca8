// What pg_cursors and pg_prepared_statements show of this session, lent to
// the planner while it plans (catalog/system/session_relations.h).
#include <chrono>

#include "catalog/system/session_relations.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

class SessionRowsView final : public catalog::system::SessionRows {
 public:
  SessionRowsView(const Session::NamedStatements& statements,
                  const std::map<std::string, std::unique_ptr<SqlCursor>>& cursors)
      : statements_(statements), cursors_(cursors) {}

  std::vector<Row> Cursors() const override {
    std::vector<Row> rows;
    for (const auto& [name, cursor] : cursors_) {
      const SqlCursor::Info& info = cursor->Details();
      rows.push_back({Value::Text(name), Value::Text(info.statement), Value::Bool(info.hold), Value::Bool(info.binary),
                      Value::Bool(info.scroll), Value::TimestampTz(info.creation_time)});
    }
    return rows;
  }

  std::vector<Row> PreparedStatements() const override {
    std::vector<Row> rows;
    for (const auto& [name, statement] : statements_) {
      auto prepared = std::dynamic_pointer_cast<SqlPrepared>(statement);
      if (name.empty() || prepared == nullptr) continue;  // the unnamed one is not listed
      std::string types = "{";
      for (size_t i = 0; i < prepared->param_types_.size(); ++i)
        types += (i ? "," : "") + FormatType(Type::Of(prepared->param_types_[i].id));
      types += "}";
      // generic_plans and custom_plans: Tessera does not count its plans.
      rows.push_back({Value::Text(name), Value::Text(prepared->from_sql_ ? prepared->prepare_text_ : prepared->sql_),
                      Value::TimestampTz(prepared->prepare_time_), Value::Text(types), Value::Bool(prepared->from_sql_),
                      Value::Null(), Value::Null()});
    }
    return rows;
  }

 private:
  const Session::NamedStatements& statements_;
  const std::map<std::string, std::unique_ptr<SqlCursor>>& cursors_;
};

}  // namespace

int64_t PgNowMicros() {
  using namespace std::chrono;
  int64_t unix_us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  return unix_us - 946684800LL * 1000000LL;
}

planner::PlannedQuery SqlSession::Plan(const ast::Statement& stmt, const catalog::CatalogSnapshot& snapshot,
                                       const std::vector<Type>& param_types, bool* reads_session_rows) {
  SessionRowsView rows(statements_, cursors_);
  catalog::system::ScopedSessionRows lend(&rows);
  catalog::system::TakeSessionRowsRead();
  planner::PlannedQuery plan = planner::PlanQuery(stmt, snapshot, param_types, CurrentUser(), user_);
  bool read = catalog::system::TakeSessionRowsRead();
  if (reads_session_rows != nullptr) *reads_session_rows = read;
  return plan;
}

}  // namespace tessera::executor
