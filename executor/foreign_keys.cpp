#include "executor/foreign_keys.h"

#include <algorithm>
#include <set>

#include "common/error.h"
#include "executor/table_store.h"
#include "planner/binder.h"
#include "planner/planner.h"
#include "storage/key_encoding.h"

namespace tessera::executor {

namespace {

// Deeper than this, a chain of cascades is taken for a cycle of actions.
constexpr int kMaxCascadeDepth = 64;
// Keys looked up in one fragment.
constexpr size_t kKeysPerLookup = 1000;

std::vector<Value> KeyOf(const Row& row, const std::vector<int>& columns) {
  std::vector<Value> key;
  for (int c : columns) key.push_back(row[c]);
  return key;
}

bool HasNull(const std::vector<Value>& key) {
  for (const Value& v : key)
    if (v.IsNull()) return true;
  return false;
}

std::string Encoded(const std::vector<Value>& key) {
  std::string out;
  for (const Value& v : key) storage::AppendKeyValue(&out, v);
  return out;
}

std::vector<std::string> Names(const catalog::TableInfo& table, const std::vector<int>& columns) {
  std::vector<std::string> names;
  for (int c : columns) names.push_back(table.columns[c].name);
  return names;
}

// `columns` of `table` equal `key`, as conjuncts over its row; false when a
// value has no equal of the column's type (an int8 beyond int4's range).
bool KeyConjuncts(const catalog::TableInfo& table, const std::vector<int>& columns, const std::vector<Value>& key,
                  std::vector<planner::ExprRef>* conjuncts) {
  for (size_t i = 0; i < columns.size(); ++i) {
    Type type = Type::Of(table.columns[columns[i]].type.id);
    Value value;
    try {
      value = key[i].CastTo(type);
    } catch (const SqlError&) {
      return false;
    }
    conjuncts->push_back(planner::MakeCompareExpr(planner::CompareOp::kEq, planner::MakeColumnExpr(columns[i], type),
                                                  planner::MakeConstantExpr(value)));
  }
  return true;
}

// A fragment of `kind` over the rows of `table` whose `columns` equal `key`;
// null when no row can match.
std::shared_ptr<planner::Fragment> KeyFragment(planner::FragmentKind kind, const catalog::TableInfo& table,
                                               const std::vector<int>& columns, const std::vector<Value>& key) {
  auto f = std::make_shared<planner::Fragment>();
  f->kind = kind;
  f->table = planner::MakeTableLayout(table);
  std::vector<planner::ExprRef> conjuncts;
  if (!KeyConjuncts(table, columns, key, &conjuncts)) return nullptr;
  f->scan = planner::ChooseAccessPath(f->table, &conjuncts);
  if (!conjuncts.empty()) f->filter = planner::MakeAndExpr(conjuncts);
  return f;
}

void WholeRow(const catalog::TableInfo& table, std::vector<planner::ExprRef>* out) {
  for (size_t i = 0; i < table.columns.size(); ++i)
    out->push_back(planner::MakeColumnExpr(static_cast<int>(i), table.columns[i].type));
}

SqlError MissingParent(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                       const catalog::TableInfo& parent, const std::vector<Value>& key) {
  return SqlError(sqlstate::kForeignKeyViolation,
                  "insert or update on table \"" + child.name + "\" violates foreign key constraint \"" + fk.name + "\"",
                  KeyText(Names(child, fk.columns), key) + " is not present in table \"" + parent.name + "\".")
      .WithTable(child.schema, child.name)
      .WithConstraint(fk.name);
}

}  // namespace

bool ForeignKeyChecker::HasRow(const catalog::TableInfo& table, const std::vector<int>& columns,
                               const std::vector<Value>& key, bool lock) {
  // Locking: an update that changes nothing, so the row gets a new version
  // at this transaction's commit. A transaction that deletes the row or
  // changes its key meanwhile waits for that commit and then, whatever
  // its isolation level, finds a version newer than its snapshot: under
  // REPEATABLE READ that is 40001, under READ COMMITTED it re-reads the
  // row and its own check of the referencing rows, at a newer snapshot,
  // sees this transaction's. A plain lock (SELECT ... FOR UPDATE) would
  // leave no version behind, so a REPEATABLE READ deleter would go on to
  // check at a snapshot without the new referencing row: an orphan.
  auto f = KeyFragment(lock ? planner::FragmentKind::kUpdate : planner::FragmentKind::kScan, table, columns, key);
  if (!f) return false;
  planner::FragmentRequest request;
  request.fragment = f;
  if (lock) return fragments_.Execute(request).affected > 0;
  f->projection.push_back(planner::MakeConstantExpr(Value::Int4(1)));
  f->limit = 1;
  return !fragments_.Execute(request).rows.empty();
}

void ForeignKeyChecker::CheckReferencingRows(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                                             const std::vector<Row>& rows) {
  CheckParentsExist(child, fk, rows, {});
}

void ForeignKeyChecker::CheckParentsExist(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                                          const std::vector<Row>& new_rows, const std::vector<Row>& old_rows) {
  const catalog::TableInfo* parent = catalog_->FindTableById(fk.ref_table);
  if (parent == nullptr) throw SqlError::Internal("foreign key \"" + fk.name + "\" references a table not there");
  std::set<std::string> done;
  std::vector<std::vector<Value>> keys;
  for (size_t i = 0; i < new_rows.size(); ++i) {
    std::vector<Value> key = KeyOf(new_rows[i], fk.columns);
    if (HasNull(key)) continue;  // MATCH SIMPLE
    // An update that leaves the key as it was needs no check (PostgreSQL's
    // RI_FKey_fk_upd_check_required).
    if (!old_rows.empty() && Encoded(KeyOf(old_rows[i], fk.columns)) == Encoded(key)) continue;
    if (done.insert(Encoded(key)).second) keys.push_back(std::move(key));
  }
  // A one-column primary key is looked up for many keys at once (on a
  // cluster each shard gets its own); one key at a time finds which is missing.
  bool by_list = fk.ref_columns.size() == 1 && parent->primary_key == fk.ref_columns;
  for (size_t start = 0; start < keys.size(); start += kKeysPerLookup) {
    size_t end = std::min(keys.size(), start + kKeysPerLookup);
    if (by_list && end - start > 1 && LockKeyList(*parent, keys, start, end)) continue;
    for (size_t i = start; i < end; ++i)
      if (!HasRow(*parent, fk.ref_columns, keys[i], true)) throw MissingParent(child, fk, *parent, keys[i]);
  }
}

bool ForeignKeyChecker::LockKeyList(const catalog::TableInfo& table, const std::vector<std::vector<Value>>& keys,
                                    size_t start, size_t end) {
  auto f = std::make_shared<planner::Fragment>();
  f->kind = planner::FragmentKind::kUpdate;  // locks and versions the rows, as HasRow
  f->table = planner::MakeTableLayout(table);
  f->scan.kind = planner::ScanKind::kKeyList;
  Type type = table.columns[table.primary_key[0]].type;
  for (size_t i = start; i < end; ++i) {
    try {
      f->scan.lower.push_back(planner::MakeConstantExpr(keys[i][0].CastTo(Type::Of(type.id))));
    } catch (const SqlError&) {
      return false;  // no such key: found one by one
    }
  }
  f->scan.equalities = static_cast<uint32_t>(f->scan.lower.size());
  planner::FragmentRequest request;
  request.fragment = f;
  return fragments_.Execute(request).affected == static_cast<int64_t>(end - start);
}

void ForeignKeyChecker::WriteChildren(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                                      const std::vector<Value>& key,
                                      const std::vector<std::pair<int, planner::ExprRef>>& set, bool remove) {
  auto f = KeyFragment(remove ? planner::FragmentKind::kDelete : planner::FragmentKind::kUpdate, child, fk.columns, key);
  if (!f) return;
  for (auto& [column, value] : set) f->set.push_back({column, value});
  WholeRow(child, &f->returning);
  if (!remove) WholeRow(child, &f->returning_old);
  planner::FragmentRequest request;
  request.fragment = f;
  std::vector<Row> rows = fragments_.Execute(request).rows;
  if (rows.empty()) return;
  size_t width = child.columns.size();
  std::vector<Row> new_rows, old_rows;
  for (Row& row : rows) {
    if (remove) {
      old_rows.push_back(std::move(row));
      continue;
    }
    old_rows.emplace_back(row.begin() + static_cast<std::ptrdiff_t>(width), row.end());
    row.resize(width);
    new_rows.push_back(std::move(row));
  }
  if (++depth_ > kMaxCascadeDepth) throw SqlError(sqlstate::kProgramLimitExceeded, "foreign key cascades too deep");
  AfterWrite(child.id, new_rows, old_rows);
  --depth_;
}

void ForeignKeyChecker::ActOnChildren(const catalog::TableInfo& parent, const catalog::TableInfo& child,
                                      const catalog::ForeignKeyInfo& fk, const std::vector<Row>& new_rows,
                                      const std::vector<Row>& old_rows) {
  bool deleting = new_rows.empty();
  char action = deleting ? fk.on_delete : fk.on_update;
  std::set<std::string> done;
  for (size_t i = 0; i < old_rows.size(); ++i) {
    std::vector<Value> key = KeyOf(old_rows[i], fk.ref_columns);
    if (HasNull(key)) continue;  // nothing references a NULL
    std::string encoded = Encoded(key);
    if (!deleting && Encoded(KeyOf(new_rows[i], fk.ref_columns)) == encoded) continue;
    if (!done.insert(encoded).second) continue;
    // NO ACTION: fine if another row has the key now (PostgreSQL's ri_Check_Pk_Match).
    if (action == 'a' && HasRow(parent, fk.ref_columns, key, false)) continue;
    if (action == 'a' || action == 'r') {
      if (!HasRow(child, fk.columns, key, false)) continue;
      throw SqlError(sqlstate::kForeignKeyViolation,
                     "update or delete on table \"" + parent.name + "\" violates foreign key constraint \"" + fk.name +
                         "\" on table \"" + child.name + "\"",
                     KeyText(Names(parent, fk.ref_columns), key) + " is still referenced from table \"" + child.name +
                         "\".")
          .WithTable(child.schema, child.name)
          .WithConstraint(fk.name);
    }
    std::vector<std::pair<int, planner::ExprRef>> set;
    if (action == 'c' && deleting) {
      WriteChildren(child, fk, key, set, true);
      continue;
    }
    for (size_t k = 0; k < fk.columns.size(); ++k) {
      const catalog::ColumnInfo& column = child.columns[fk.columns[k]];
      planner::ExprRef value;
      if (action == 'c') {
        value = planner::MakeConstantExpr(new_rows[i][fk.ref_columns[k]].CastTo(column.type));
      } else if (action == 'n' || column.default_sql.empty()) {
        value = planner::MakeConstantExpr(Value::Null(column.type));
      } else {
        std::vector<Type> no_params;
        value = planner::Binder(*catalog_, &no_params).BindDefault(column);
      }
      set.emplace_back(fk.columns[k], value);
    }
    WriteChildren(child, fk, key, set, false);
  }
}

void ForeignKeyChecker::AfterWrite(uint32_t table_id, const std::vector<Row>& new_rows,
                                   const std::vector<Row>& old_rows) {
  const catalog::TableInfo* table = catalog_->FindTableById(table_id);
  if (table == nullptr) return;
  // READ COMMITTED checks at a snapshot taken now, which sees what others
  // committed while this statement ran or waited (PostgreSQL's RI checks
  // take a new snapshot too).
  if (depth_ == 0 && refresh_snapshot_) refresh_snapshot_();
  // The referenced side first: a cascade may remove rows this statement
  // wrote in the same table, which then need no parent.
  if (!old_rows.empty())
    for (auto& [child, fk] : catalog::ReferencingKeys(*catalog_, table_id))
      ActOnChildren(*table, *child, *fk, new_rows, old_rows);
  if (!new_rows.empty())
    for (const catalog::ForeignKeyInfo& fk : table->foreign_keys) CheckParentsExist(*table, fk, new_rows, old_rows);
}

void CheckForeignKeys(ExecContext& ctx, const planner::Fragment& fragment, std::vector<Row>* rows) {
  if (fragment.fk_returning == 0) return;
  size_t width = fragment.table.column_types.size();
  size_t hidden = fragment.fk_returning;
  std::vector<Row> new_rows, old_rows;
  bool update = fragment.kind == planner::FragmentKind::kUpdate;
  for (Row& row : *rows) {
    if (row.size() < hidden) throw SqlError::Internal("write returned fewer values than its foreign keys need");
    auto start = row.end() - static_cast<std::ptrdiff_t>(hidden);
    if (update) {
      new_rows.emplace_back(start, start + static_cast<std::ptrdiff_t>(width));
      old_rows.emplace_back(start + static_cast<std::ptrdiff_t>(width), row.end());
    } else if (fragment.kind == planner::FragmentKind::kDelete) {
      old_rows.emplace_back(start, row.end());
    } else {
      new_rows.emplace_back(start, row.end());
    }
    row.erase(start, row.end());
  }
  if (!rows->empty() && rows->front().empty()) rows->clear();  // no RETURNING of the client's
  if (ctx.foreign_keys == nullptr) throw SqlError::Internal("a write with foreign keys has no checker");
  ctx.foreign_keys->AfterWrite(fragment.table.table_id, new_rows, old_rows);
}

}  // namespace tessera::executor
