#include "executor/copy_from.h"

#include <set>

#include "common/error.h"
#include "common/temp_schema.h"
#include "common/utf8.h"
#include "executor/table_store.h"
#include "planner/binder.h"

namespace tessera::executor {

namespace {

// Rows per insert fragment: large enough that per-request costs vanish,
// small enough to keep memory flat for any input size.
constexpr size_t kBatchRows = 2000;

// PostgreSQL's limit_printout_length: at most 100 bytes, then "...".
std::string Printable(std::string_view text) {
  if (text.size() <= 100) return std::string(text);
  return std::string(text.substr(0, 100)) + "...";
}

struct CopyColumns {
  std::vector<int> targets;                 // field i -> table column
  std::vector<planner::ExprRef> defaults;   // per table column; null when listed
};

CopyColumns ResolveColumns(const ast::CopyStmt& stmt, const catalog::TableInfo& table, planner::Binder& binder) {
  CopyColumns out;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < table.columns.size(); ++i) out.targets.push_back(static_cast<int>(i));
  } else {
    std::set<int> seen;
    for (auto& name : stmt.columns) {
      auto pos = table.FindColumn(name);
      if (!pos)
        throw SqlError(sqlstate::kUndefinedColumn,
                       "column \"" + name + "\" of relation \"" + table.name + "\" does not exist");
      if (!seen.insert(*pos).second)
        throw SqlError(sqlstate::kDuplicateColumn, "column \"" + name + "\" specified more than once");
      out.targets.push_back(*pos);
    }
  }
  out.defaults.resize(table.columns.size());
  std::vector<bool> listed(table.columns.size(), false);
  for (int t : out.targets) listed[t] = true;
  for (size_t i = 0; i < table.columns.size(); ++i)
    if (!listed[i]) out.defaults[i] = binder.BindDefault(table.columns[i]);
  return out;
}

class CopyLoader {
 public:
  CopyLoader(const ast::CopyStmt& stmt, const CopyFromTarget& target, const catalog::TableInfo& table,
             CopyColumns columns)
      : target_(target), table_(table), columns_(std::move(columns)), fragment_(std::make_shared<planner::Fragment>()) {
    fragment_->kind = planner::FragmentKind::kInsert;
    fragment_->table = planner::MakeTableLayout(table);
    name_ = stmt.table.name;
  }

  // Converts one record into a table row and queues it.
  void Add(const CopyRecord& record, int64_t line, std::string_view raw) {
    for (const auto& field : record) {  // after escapes: \000 or \xff make no valid text (22021)
      if (!field) continue;
      if (size_t bad = utf8::FindInvalid(*field); bad != std::string_view::npos) {
        try {
          utf8::ThrowInvalid(*field, bad);
        } catch (const SqlError& e) {
          throw WithLine(e, line, raw);
        }
      }
    }
    size_t n = columns_.targets.size();
    if (record.size() > n && !(n == 0 && record.size() == 1 && record[0] && record[0]->empty()))
      throw WithLine(SqlError("22P04", "extra data after last expected column"), line, raw);
    if (record.size() < n) {
      const std::string& missing = table_.columns[columns_.targets[record.size()]].name;
      throw WithLine(SqlError("22P04", "missing data for column \"" + missing + "\""), line, raw);
    }
    Row row(table_.columns.size());
    for (size_t i = 0; i < table_.columns.size(); ++i)
      if (columns_.defaults[i]) row[i] = planner::Evaluate(*columns_.defaults[i], Row{}, *target_.eval);
    for (size_t f = 0; f < n; ++f) {
      int c = columns_.targets[f];
      const catalog::ColumnInfo& column = table_.columns[c];
      if (!record[f]) {
        row[c] = Value::Null(column.type);
        continue;
      }
      try {
        row[c] = Value::FromText(*record[f], column.type, *target_.format);
      } catch (SqlError& error) {
        error.WithContext("COPY " + name_ + ", line " + std::to_string(line) + ", column " + column.name + ": \"" +
                          Printable(*record[f]) + "\"");
        throw;
      }
    }
    // Not-null is checked here too (the insert fragment checks again), so
    // the error names the line as PostgreSQL's does.
    try {
      CheckNotNull(fragment_->table, row);
    } catch (const SqlError& e) {
      throw WithLine(e, line, raw);
    }
    batch_.push_back(std::move(row));
    if (batch_.size() >= kBatchRows) Flush();
  }

  void Flush() {
    if (batch_.empty()) return;
    if (target_.cancel && target_.cancel->load())
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    planner::FragmentRequest request;
    request.fragment = fragment_;
    if (!table_.foreign_keys.empty()) written_rows_.insert(written_rows_.end(), batch_.begin(), batch_.end());
    request.rows = std::move(batch_);
    batch_.clear();
    try {
      written_ += target_.fragments->Execute(request).affected;
    } catch (SqlError& error) {
      // Rows are checked batch by batch: the failing line is not known here.
      if (error.Context().empty()) error.WithContext("COPY " + name_);
      throw;
    }
  }

  int64_t Written() const { return written_; }

  // At the end of the COPY, as PostgreSQL's after-row triggers: rows of
  // this COPY may reference each other.
  void CheckForeignKeys() {
    if (table_.foreign_keys.empty()) return;
    if (target_.foreign_keys == nullptr) throw SqlError::Internal("COPY into a table with foreign keys has no checker");
    target_.foreign_keys->AfterWrite(table_.id, written_rows_, {});
  }

 private:
  SqlError WithLine(SqlError error, int64_t line, std::string_view raw) const {
    error.WithContext("COPY " + name_ + ", line " + std::to_string(line) + ": \"" + Printable(raw) + "\"");
    return error;
  }

  const CopyFromTarget& target_;
  const catalog::TableInfo& table_;
  CopyColumns columns_;
  std::shared_ptr<planner::Fragment> fragment_;
  std::string name_;
  std::vector<Row> batch_;
  std::vector<Row> written_rows_;  // kept for the foreign key checks
  int64_t written_ = 0;
};

}  // namespace

int64_t CopyFromStdin(const ast::CopyStmt& stmt, const CopyFromTarget& target, ResultSink& sink) {
  CopyOptions options = CopyOptions::From(stmt);
  if (options.binary) throw SqlError::FeatureNotSupported("COPY FROM STDIN in binary format");
  std::vector<Type> no_params;
  planner::Binder binder(*target.catalog, &no_params);
  const catalog::TableInfo* found = target.catalog->FindTable(stmt.table.schema, stmt.table.name);
  if (!found) throw SqlError::UndefinedTable(stmt.table.ToString());  // no position, as PostgreSQL's COPY
  if (IsOtherTempSchema(found->schema))
    throw SqlError::FeatureNotSupported("cannot access temporary tables of other sessions");
  if (found->IsView())
    throw SqlError(sqlstate::kWrongObjectType, "cannot copy to view \"" + found->name + "\"", {},
                   "To enable copying to a view, provide an INSTEAD OF INSERT trigger.");
  const catalog::TableInfo& table = *found;
  CopyColumns columns = ResolveColumns(stmt, table, binder);
  std::vector<bool> force_not_null(columns.targets.size(), false);
  for (auto& name : options.force_not_null) {
    bool found = false;
    for (size_t f = 0; f < columns.targets.size(); ++f) {
      if (table.columns[columns.targets[f]].name != name) continue;
      force_not_null[f] = found = true;
    }
    if (!found)
      throw SqlError(sqlstate::kInvalidColumnReference,
                     "FORCE_NOT_NULL column \"" + name + "\" not referenced by COPY");
  }
  size_t field_count = columns.targets.size();
  CopyLoader loader(stmt, target, table, std::move(columns));
  CopyParser parser(options, std::move(force_not_null));
  CopyRecord record;
  sink.CopyInBegin(false, field_count);
  std::string chunk;
  // After an error the client's remaining CopyData is not read here: the
  // wire layer drops CopyData/CopyDone that arrive outside a COPY.
  while (sink.CopyInNext(chunk)) {
    if (parser.Ended()) continue;  // data after \. is read and ignored
    parser.Append(chunk);
    while (parser.Next(&record, false)) loader.Add(record, parser.Line(), parser.LastLine());
  }
  while (parser.Next(&record, true)) loader.Add(record, parser.Line(), parser.LastLine());
  loader.Flush();
  loader.CheckForeignKeys();
  return loader.Written();
}

}  // namespace tessera::executor
