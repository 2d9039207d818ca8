// SqlSession's COPY: the dispatch from RunUtility. COPY FROM STDIN is in
// copy_from.cpp; COPY TO STDOUT runs the equivalent SELECT through a portal
// and writes its rows as CopyData.
#include "common/error.h"
#include "executor/copy_format.h"
#include "executor/copy_from.h"
#include "executor/local_fragment_executor.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

std::string QuoteIdent(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// Turns a portal's rows into COPY lines, one CopyData message each, as
// PostgreSQL sends them (psycopg 3's Copy.rows() reads a row per message);
// the wire layer batches the messages into large writes.
class CopyOutSink final : public ResultSink {
 public:
  CopyOutSink(ResultSink& client, const CopyOptions& options, const TextFormat& format, std::vector<bool> force_quote)
      : client_(client), options_(options), format_(format), force_quote_(std::move(force_quote)) {}

  void Columns(const std::vector<ColumnDesc>&) override {}
  void Row(const tessera::Row& row) override {
    fields_.resize(row.size());
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].IsNull()) fields_[i].reset();
      else fields_[i] = row[i].ToText(format_);
    }
    buffer_.clear();
    AppendCopyLine(options_, fields_, force_quote_, &buffer_);
    ++rows_;
    client_.CopyOutData(buffer_);
  }
  void Complete(const std::string&) override {}
  void EmptyQuery() override {}
  void Notice(const std::string& s, const std::string& c, const std::string& m) override { client_.Notice(s, c, m); }

  int64_t Rows() const { return rows_; }

 private:
  ResultSink& client_;
  const CopyOptions& options_;
  const TextFormat& format_;
  std::vector<bool> force_quote_;
  std::vector<std::optional<std::string>> fields_;
  std::string buffer_;
  int64_t rows_ = 0;
};

// COPY table [(columns)] TO: the SELECT that reads it; `names` gets its columns.
std::string CopyTableQuery(const ast::CopyStmt& stmt, const catalog::CatalogSnapshot& snapshot,
                           std::vector<std::string>* names) {
  const catalog::TableInfo* table = snapshot.FindTable(stmt.table.schema, stmt.table.name);
  if (!table) throw SqlError::UndefinedTable(stmt.table.ToString());
  if (table->IsView())
    throw SqlError(sqlstate::kWrongObjectType, "cannot copy from view \"" + table->name + "\"", {},
                   "Try the COPY (SELECT ...) TO variant.");
  *names = stmt.columns;
  if (names->empty())
    for (auto& c : table->columns) names->push_back(c.name);
  std::string sql = "SELECT ";
  for (size_t i = 0; i < names->size(); ++i) sql += (i ? ", " : "") + QuoteIdent((*names)[i]);
  return sql + " FROM " + (stmt.table.schema.empty() ? "" : QuoteIdent(stmt.table.schema) + ".") +
         QuoteIdent(table->name);
}

}  // namespace

void SqlSession::RunCopy(const ast::CopyStmt& stmt, ResultSink& sink) {
  if (!stmt.stdio) {
    // A superuser may make PostgreSQL read or write server files; Tessera
    // has no server-side file access at all, for anyone.
    throw SqlError(sqlstate::kFeatureNotSupported,
                   std::string("COPY ") + (stmt.from ? "from" : "to") + " a file is not supported", {},
                   "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.");
  }
  CopyOptions options = CopyOptions::From(stmt);
  if (stmt.from) {
    // COPY FROM writes as INSERT does: INSERT on the table (COPY TO reads
    // through a SELECT, which the planner checks).
    auto current = SessionCatalog().Snapshot();
    if (const catalog::TableInfo* t = current->FindTable(stmt.table.schema, stmt.table.name)) {
      uint32_t role = CurrentRole().oid;
      catalog::CheckSchemaPrivileges(*current, t->schema, role, catalog::privilege::kUsage);
      catalog::CheckTablePrivileges(*current, *t, role, catalog::privilege::kInsert);
    }
    FragmentServices services = Services();
    BackendTxn& txn = StatementTxn();
    std::unique_ptr<FragmentExecutor> fragments_owner = txn.Fragments(services);
    FragmentExecutor& fragments = *fragments_owner;
    planner::EvalContext eval = EvalFor(nullptr);
    auto snapshot = SessionCatalog().Snapshot();
    ForeignKeyChecker foreign_keys(snapshot, fragments, [t = &txn] { t->RefreshSnapshot(); });
    CopyFromTarget target{snapshot.get(), &fragments, &eval, &settings_.Format(), &cancel_, &foreign_keys};
    int64_t rows = CopyFromStdin(stmt, target, sink);
    sink.Complete("COPY " + std::to_string(rows));
    return;
  }
  if (options.binary) throw SqlError::FeatureNotSupported("COPY TO STDOUT in binary format");
  auto snapshot = SessionCatalog().Snapshot();
  std::vector<std::string> names;
  std::string sql = stmt.query.empty() ? CopyTableQuery(stmt, *snapshot, &names) : stmt.query;
  std::vector<ast::StatementPtr> parsed = ParseSql(sql);
  auto prepared = PrepareStatement(nullptr, sql, {});
  prepared->plan_ = std::make_shared<planner::PlannedQuery>(Plan(*parsed[0], *snapshot, {}));
  if (!stmt.query.empty())
    for (auto& column : prepared->plan_->columns) names.push_back(column.name);
  std::vector<bool> force_quote(names.size(), options.force_quote_all);
  for (auto& q : options.force_quote)
    for (size_t i = 0; i < names.size(); ++i) force_quote[i] = force_quote[i] || names[i] == q;

  sink.CopyOutBegin(false, names.size());
  CopyOutSink out(sink, options, settings_.Format(), force_quote);
  if (options.header) {
    std::vector<std::optional<std::string>> header(names.begin(), names.end());
    std::string line;
    AppendCopyLine(options, header, {}, &line);
    sink.CopyOutData(line);
  }
  SqlPortal portal(*this, prepared, {});
  portal.Execute(0, out);
  sink.CopyOutDone();
  sink.Complete("COPY " + std::to_string(out.Rows()));
}

}  // namespace tessera::executor
