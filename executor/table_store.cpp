// Row and index entry writes with their constraint checks.
#include "executor/table_store.h"

#include "common/error.h"
#include "executor/index_fence.h"
#include "planner/expr_evaluator.h"
#include "storage/key_encoding.h"
#include "storage/row_encoding.h"

namespace tessera::executor {

std::string RowText(const Row& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ", ";
    out += row[i].IsNull() ? "null" : row[i].ToText();
  }
  return out + ")";
}

std::string PrimaryKeySuffixOf(const planner::TableLayout& table, const Row& row) {
  std::string out;
  for (int c : table.primary_key) storage::AppendKeyValue(&out, row[c]);
  return out;
}

std::string TableStore::PrimaryKeySuffix(const Row& row) const { return PrimaryKeySuffixOf(table_, row); }

std::string TableStore::RowKey(const std::string& pk_suffix) const {
  std::string key = storage::KeyPrefix(table_.table_id, storage::kPrimaryIndexId);
  key += pk_suffix;
  return key;
}

std::optional<Row> TableStore::GetRow(const std::string& pk_suffix) {
  auto bytes = txn_.Get(RowKey(pk_suffix));
  if (!bytes) return std::nullopt;
  return storage::DecodeRow(*bytes, table_.column_types);
}

std::string TableStore::IndexPrefix(const planner::TableLayout::Index& index, const Row& row, bool* has_null) const {
  std::string key = storage::KeyPrefix(table_.table_id, index.id);
  *has_null = false;
  for (size_t i = 0; i < index.columns.size(); ++i) {
    const Value& v = row[index.columns[i]];
    *has_null = *has_null || v.IsNull();
    storage::AppendKeyValue(&key, v, i < index.descending.size() && index.descending[i]);
  }
  return key;
}

std::string TableStore::IndexKey(const planner::TableLayout::Index& index, const Row& row,
                                 const std::string& pk_suffix) const {
  bool has_null;
  std::string prefix = IndexPrefix(index, row, &has_null);
  if (index.unique && !has_null) return prefix;
  return prefix + pk_suffix;
}

std::string KeyText(const std::vector<std::string>& names, const std::vector<Value>& values) {
  std::string name_list, value_list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) {
      name_list += ", ";
      value_list += ", ";
    }
    name_list += names[i];
    value_list += values[i].IsNull() ? "null" : values[i].ToText();
  }
  return "Key (" + name_list + ")=(" + value_list + ")";
}

std::string TableStore::KeyDetail(const std::vector<int>& columns, const Row& row) const {
  std::vector<std::string> names;
  std::vector<Value> values;
  for (int c : columns) {
    names.push_back(table_.column_names[c]);
    values.push_back(row[c]);
  }
  return KeyText(names, values) + " already exists.";
}

void CheckNotNull(const planner::TableLayout& layout, const Row& row) {
  for (size_t i = 0; i < row.size() && i < layout.not_null.size(); ++i) {
    bool required = layout.not_null[i];
    for (int k : layout.primary_key) required = required || k == static_cast<int>(i);
    if (required && row[i].IsNull())
      throw SqlError::NotNull(layout.column_names[i], layout.table_name)
          .WithDetail("Failing row contains " + RowText(row) + ".")
          .WithTable(layout.schema_name, layout.table_name)
          .WithColumn(layout.column_names[i]);
  }
}

SqlError TableStore::UniqueViolation(const std::string& name, const std::vector<int>& columns, const Row& row) const {
  return SqlError::UniqueViolation(name, KeyDetail(columns, row))
      .WithTable(table_.schema_name, table_.table_name)
      .WithConstraint(name);
}

void TableStore::CheckConstraints(const Row& row) const {
  if (table_.checks.empty()) return;
  planner::EvalContext ctx;
  for (const auto& check : table_.checks) {
    Value ok = planner::Evaluate(*check.expr, row, ctx);
    if (ok.IsNull() || ok.GetBool()) continue;  // NULL passes a CHECK, as in SQL
    throw SqlError(sqlstate::kCheckViolation, "new row for relation \"" + table_.table_name +
                                                  "\" violates check constraint \"" + check.name + "\"")
        .WithDetail("Failing row contains " + RowText(row) + ".")
        .WithTable(table_.schema_name, table_.table_name)
        .WithConstraint(check.name);
  }
}

bool TableStore::CheckUniqueIndex(const planner::TableLayout::Index& index, const Row& row,
                                  const std::string& pk_suffix, bool skip_conflicts, bool lock) {
  if (!index.unique) return true;
  bool has_null;
  std::string prefix = IndexPrefix(index, row, &has_null);
  if (has_null) return true;  // NULLs are distinct in a unique index
  auto conflict = [&] {
    if (skip_conflicts) return false;
    throw UniqueViolation(index.name, index.columns, row);
  };
  // What this transaction sees. A scan of the prefix, not a read of the one
  // key, so entries written with a pk suffix by older versions count too.
  std::vector<std::string> others;
  for (auto it = txn_.Scan(prefix, storage::PrefixEnd(prefix)); it->Valid(); it->Next()) {
    if (it->Value() == pk_suffix) continue;
    others.emplace_back(it->Value());
  }
  for (const std::string& other : others)
    if (LiveEntry(index, prefix, other, false)) return conflict();
  if (!lock) return true;
  // What is committed now: waits for a concurrent writer of these values,
  // then sees its entry if it committed (READ COMMITTED; REPEATABLE READ
  // gets 40001, as for a primary key). The caller's Put follows.
  storage::Transaction::RowLock claim = txn_.LockRow(prefix, std::nullopt);
  if (claim.changed && claim.latest && *claim.latest != pk_suffix && LiveEntry(index, prefix, *claim.latest, true))
    return conflict();
  return true;
}

bool TableStore::LiveEntry(const planner::TableLayout::Index& index, const std::string& prefix,
                           const std::string& other_suffix, bool committed_since) {
  // An entry committed after our snapshot belongs with the row as last
  // committed; one our snapshot shows, with the row as the snapshot shows it.
  std::optional<std::string> bytes = committed_since ? txn_.LatestCommitted(RowKey(other_suffix)) : txn_.Get(RowKey(other_suffix));
  if (!bytes) return false;
  bool has_null = false;
  return IndexPrefix(index, storage::DecodeRow(*bytes, table_.column_types), &has_null) == prefix;
}

const std::vector<planner::TableLayout::Index>& TableStore::WriteIndexes() {
  std::vector<planner::TableLayout::Index> building = IndexFence::Instance().Missing(table_, txn_);
  if (building.empty()) return table_.indexes;
  with_building_ = table_.indexes;
  with_building_.insert(with_building_.end(), building.begin(), building.end());
  return with_building_;
}

bool TableStore::EntryMatches(uint32_t index_id, std::string_view entry_key, const Row& row,
                              const std::string& pk_suffix) const {
  for (const auto& index : table_.indexes) {
    if (index.id != index_id) continue;
    if (IndexKey(index, row, pk_suffix) == entry_key) return true;
    // A unique entry from before unique entries were keyed by values alone.
    bool has_null = false;
    return index.unique && IndexPrefix(index, row, &has_null) + pk_suffix == entry_key;
  }
  return true;
}

ConflictSkip ConflictSkip::Of(const planner::Fragment& f) {
  ConflictSkip skip;
  if (f.on_conflict_do_update) {
    skip.key = storage::kPrimaryIndexId;
  } else if (f.on_conflict_do_nothing) {
    skip.any = f.conflict_arbiter < 0;
    if (f.conflict_arbiter >= 0) skip.key = static_cast<uint32_t>(f.conflict_arbiter);
  }
  return skip;
}

bool TableStore::CheckUniqueIndexes(const Row& row, const std::string& pk_suffix, const ConflictSkip& skip) {
  for (auto& index : table_.indexes)
    if (!CheckUniqueIndex(index, row, pk_suffix, skip.Skips(index.id))) return false;
  return true;
}

bool TableStore::Insert(const Row& row, const std::string& pk_suffix, const ConflictSkip& skip) {
  CheckNotNull(row);
  CheckConstraints(row);
  std::string key = RowKey(pk_suffix);
  if (table_.HasHiddenRowId() && holds_row_lock_) return InsertWithRowId(row, key, pk_suffix, skip);
  // Absent from our snapshot; the lock makes a concurrent insert of the same
  // key wait for its writer, then see its committed row (PostgreSQL's
  // unique check waits the same way).
  bool exists = txn_.Get(key).has_value();
  if (!exists) {
    storage::Transaction::RowLock lock = txn_.LockRow(key, std::nullopt);
    exists = lock.changed && lock.latest;
  }
  if (exists) {
    if (skip.Skips(storage::kPrimaryIndexId)) return false;
    throw UniqueViolation(table_.primary_key_name, table_.primary_key, row);
  }
  const auto& indexes = WriteIndexes();
  for (auto& index : indexes)
    if (!CheckUniqueIndex(index, row, pk_suffix, skip.Skips(index.id))) return false;
  std::string bytes;
  storage::EncodeRow(row, &bytes);
  txn_.Put(key, bytes);
  for (auto& index : indexes) txn_.Put(IndexKey(index, row, pk_suffix), pk_suffix);
  holds_row_lock_ = true;
  return true;
}

bool TableStore::InsertWithRowId(const Row& row, const std::string& key, const std::string& pk_suffix,
                                 const ConflictSkip& skip) {
  // A hidden row id is always freshly allocated (AllocateRange, or the
  // gateway's counter), so no other transaction can hold or have written
  // this key, nor an entry of a non-unique index, which ends in it: they
  // need neither a lock nor a uniqueness check (PutNew). Unique index
  // entries are keyed by values alone and are checked and locked as usual.
  // One row lock in the table is still needed, and this transaction holds
  // it (the first row Insert wrote): a CREATE INDEX registered since waits
  // for us (index_fence.h), and one registered before shows in WriteIndexes.
  const auto& indexes = WriteIndexes();
  for (auto& index : indexes)
    if (index.unique && !CheckUniqueIndex(index, row, pk_suffix, skip.Skips(index.id))) return false;
  std::string bytes;
  storage::EncodeRow(row, &bytes);
  txn_.PutNew(key, bytes);
  for (auto& index : indexes) {
    if (index.unique) {
      txn_.Put(IndexKey(index, row, pk_suffix), pk_suffix);
    } else {
      txn_.PutNew(IndexKey(index, row, pk_suffix), pk_suffix);
    }
  }
  return true;
}

void TableStore::Update(const std::string& old_suffix, const Row& old_row, const Row& new_row) {
  CheckNotNull(new_row);
  CheckConstraints(new_row);
  std::string new_suffix = table_.HasHiddenRowId() ? old_suffix : PrimaryKeySuffix(new_row);
  if (new_suffix != old_suffix) {
    if (txn_.Get(RowKey(new_suffix)))
      throw UniqueViolation(table_.primary_key_name, table_.primary_key, new_row);
    txn_.Delete(RowKey(old_suffix));
  }
  for (auto& index : WriteIndexes()) {
    std::string old_key = IndexKey(index, old_row, old_suffix);
    std::string new_key = IndexKey(index, new_row, new_suffix);
    if (old_key == new_key) {
      // A unique entry is keyed by its values alone: a new primary key with
      // the same values only changes what the entry points to.
      if (new_suffix != old_suffix) txn_.Put(new_key, new_suffix);
      continue;
    }
    // The row's own old entry goes first: a new key with unchanged values
    // must not count as a duplicate of itself.
    txn_.Delete(old_key);
    CheckUniqueIndex(index, new_row, new_suffix, false);
    txn_.Put(new_key, new_suffix);
  }
  std::string bytes;
  storage::EncodeRow(new_row, &bytes);
  txn_.Put(RowKey(new_suffix), bytes);
}

void TableStore::Delete(const std::string& pk_suffix, const Row& row) {
  txn_.Delete(RowKey(pk_suffix));
  for (auto& index : WriteIndexes()) txn_.Delete(IndexKey(index, row, pk_suffix));
}

void TableStore::BuildIndex(const planner::TableLayout::Index& index, const std::function<void(const Row&)>& on_row) {
  std::string prefix = storage::KeyPrefix(table_.table_id, storage::kPrimaryIndexId);
  std::vector<std::pair<std::string, Row>> rows;
  for (auto it = txn_.Scan(prefix, storage::PrefixEnd(prefix)); it->Valid(); it->Next())
    rows.emplace_back(std::string(it->Key().substr(prefix.size())), storage::DecodeRow(it->Value(), table_.column_types));
  for (auto& [suffix, row] : rows) {
    // Writers maintain the index from its registration on (index_fence.h),
    // so a unique entry is locked as theirs are.
    CheckUniqueIndex(index, row, suffix, false);
    txn_.Put(IndexKey(index, row, suffix), suffix);
    if (on_row) on_row(row);
  }
}

}  // namespace tessera::executor
