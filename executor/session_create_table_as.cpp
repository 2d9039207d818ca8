// CREATE [TEMP] TABLE t [(names)] AS query [WITH [NO] DATA]: the query is
// planned for its columns' names and types, the table is created with
// them (no constraints, as in PostgreSQL), and the query's rows go in
// through the INSERT the parser built, in the same transaction, so a
// failure leaves no table. The tag is PostgreSQL's "SELECT n".
#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

// "INSERT 0 n" as PostgreSQL tags a CREATE TABLE AS: "SELECT n".
class SelectTagSink final : public ForwardingSink {
 public:
  using ForwardingSink::ForwardingSink;
  void Complete(const std::string& tag) override {
    size_t last_space = tag.rfind(' ');
    inner_.Complete("SELECT " + (last_space == std::string::npos ? std::string("0") : tag.substr(last_space + 1)));
  }
};

}  // namespace

void SqlSession::RunCreateTableAs(const ast::CreateTableStmt& stmt, ResultSink& sink) {
  const ast::InsertStmt& insert = *stmt.as_insert;
  planner::PlannedQuery query = Plan(*insert.source, *SessionCatalog().Snapshot(), {});
  if (stmt.as_columns.size() > query.columns.size())
    throw SqlError(sqlstate::kSyntaxError, "too many column names were specified");
  std::vector<catalog::ColumnInfo> columns;
  for (size_t i = 0; i < query.columns.size(); ++i) {
    catalog::ColumnInfo column;
    column.name = i < stmt.as_columns.size() ? stmt.as_columns[i] : query.columns[i].name;
    column.type = query.columns[i].type;
    // An untyped literal or NULL makes a text column, as in PostgreSQL.
    if (column.type.id == TypeId::kUnknown) column.type = Type::Of(TypeId::kText);
    columns.push_back(std::move(column));
  }
  bool skipped = false;
  RunDdl(stmt, sink, &columns, &skipped);
  if (skipped || !stmt.with_data) {
    sink.Complete("CREATE TABLE AS");
    return;
  }
  // The rows go in by position: the table's columns are the query's.
  std::shared_ptr<SqlPrepared> prepared = PrepareStatement(nullptr, current_sql_, {});
  prepared->plan_ = std::make_shared<planner::PlannedQuery>(Plan(insert, *SessionCatalog().Snapshot(), {}));
  SqlPortal portal(*this, prepared, {});
  SelectTagSink tagged(sink);
  portal.Execute(0, tagged);
}

}  // namespace tessera::executor
