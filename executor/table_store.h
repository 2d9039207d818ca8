// How a table's rows and index entries sit in the ordered key-value store:
//   row:           [table][0][primary key values]            -> EncodeRow(row)
//   index:         [table][index id][index values][pk values] -> pk suffix
//   unique index:  [table][index id][index values]            -> pk suffix
// A table without a primary key is keyed by a hidden int8 row id. Index
// entries carry the row's primary key suffix as their value, so an index scan
// turns into point reads of the rows, and a non-unique index never has two
// equal keys. A unique index entry is keyed by its values alone (unless one
// is NULL: NULLs never conflict, so those keep the pk suffix), which makes
// two writers of the same values lock the same key, as two inserts of one
// primary key do: the second waits for the first and then sees its commit.
// Every write keeps the row and its index entries in one transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/value.h"
#include "planner/fragment.h"
#include "storage/engine.h"

namespace tessera::executor {

// Which unique-key conflicts an INSERT ... ON CONFLICT skips (Insert then
// returns false) instead of raising 23505: any key's (DO NOTHING without a
// target), or the arbiter's only (0: the primary key, else a unique index).
struct ConflictSkip {
  bool any = false;
  std::optional<uint32_t> key;
  static ConflictSkip Of(const planner::Fragment& f);
  bool Skips(uint32_t key_id) const { return any || (key && *key == key_id); }
};

// 23502 for the first column of `row` that must not be NULL and is (a
// NOT NULL column or part of the primary key), naming the table and column.
void CheckNotNull(const planner::TableLayout& layout, const Row& row);

class TableStore {
 public:
  TableStore(const planner::TableLayout& table, storage::Transaction& txn) : table_(table), txn_(txn) {}

  // The primary key suffix (the key bytes after the table/index prefix).
  std::string PrimaryKeySuffix(const Row& row) const;
  std::string RowKey(const std::string& pk_suffix) const;
  std::optional<Row> GetRow(const std::string& pk_suffix);

  // Checks (not-null, unique) and writes a new row. `pk_suffix` is computed
  // from the row unless given (hidden row ids). Returns false when the row
  // conflicts on a key `skip` skips.
  bool Insert(const Row& row, const std::string& pk_suffix, const ConflictSkip& skip = {});
  // Replaces `old_row` (at `old_suffix`) with `new_row`; the primary key may change.
  void Update(const std::string& old_suffix, const Row& old_row, const Row& new_row);
  void Delete(const std::string& pk_suffix, const Row& row);
  // Writes the entries of one index for every existing row (CREATE INDEX),
  // calling `on_row` (if set) with each row.
  void BuildIndex(const planner::TableLayout::Index& index, const std::function<void(const Row&)>& on_row = {});
  // Whether the entry at `entry_key` of index `index_id` belongs to `row` as
  // it is now: an index build racing an update can leave an entry for a
  // version that is gone (index_fence.h), which scans skip.
  bool EntryMatches(uint32_t index_id, std::string_view entry_key, const Row& row, const std::string& pk_suffix) const;

  void CheckNotNull(const Row& row) const { executor::CheckNotNull(table_, row); }
  // The table's CHECK constraints: 23514 for the first one `row` makes false.
  void CheckConstraints(const Row& row) const;
  // 23505 (or false, with skip_conflicts) when another row holds the values
  // of one of the unique secondary indexes. A cluster gateway calls it over
  // every shard before an insert, since each shard checks only its own rows.
  bool CheckUniqueIndexes(const Row& row, const std::string& pk_suffix, const ConflictSkip& skip);
  // The index key prefix of `row` (table, index, values); has_null is set
  // when a value is NULL (NULLs never conflict).
  std::string IndexPrefix(const planner::TableLayout::Index& index, const Row& row, bool* has_null) const;
  // "Key (a, b)=(1, 2) already exists." for a unique violation.
  std::string KeyDetail(const std::vector<int>& columns, const Row& row) const;
  // 23505 for `row`'s values of `columns` under constraint or index `name`,
  // naming the table and the constraint (ErrorResponse's fields).
  SqlError UniqueViolation(const std::string& name, const std::vector<int>& columns, const Row& row) const;

  const planner::TableLayout& Table() const { return table_; }
  std::vector<Type> Types() const { return table_.column_types; }

 private:
  std::string IndexKey(const planner::TableLayout::Index& index, const Row& row, const std::string& pk_suffix) const;
  // 23505 when another row holds the same unique index values. With
  // `lock`, the entry's key is locked first, so a concurrent writer of the
  // same values is waited for and its commit seen (an index being built is
  // not visible to other writers yet and needs no lock).
  bool CheckUniqueIndex(const planner::TableLayout::Index& index, const Row& row, const std::string& pk_suffix,
                        bool skip_conflicts, bool lock = true);

  // The indexes a write maintains: the layout's, plus those being built
  // that it does not name yet (index_fence.h). Called once the row is locked.
  const std::vector<planner::TableLayout::Index>& WriteIndexes();
  // Insert of a row whose key ends in a freshly allocated hidden row id,
  // once the transaction holds a row lock in the table.
  bool InsertWithRowId(const Row& row, const std::string& key, const std::string& pk_suffix, const ConflictSkip& skip);
  // Whether another row's unique entry is live: its row (as this
  // transaction reads it, or as last committed for an entry committed since
  // its snapshot) still has these values.
  bool LiveEntry(const planner::TableLayout::Index& index, const std::string& prefix, const std::string& other_suffix,
                 bool committed_since);

  const planner::TableLayout& table_;
  storage::Transaction& txn_;
  std::vector<planner::TableLayout::Index> with_building_;
  // This transaction holds a row lock in the table, taken by an Insert of
  // this store: later rows with hidden row ids need none (InsertWithRowId).
  bool holds_row_lock_ = false;
};

// The primary key part of a row's key (what a cluster hashes to route it).
std::string PrimaryKeySuffixOf(const planner::TableLayout& table, const Row& row);

// "Key (a, b)=(1, null)", as PostgreSQL's unique violation details begin.
std::string KeyText(const std::vector<std::string>& names, const std::vector<Value>& values);

// "(1, null, abc)" as PostgreSQL's "Failing row contains" detail.
std::string RowText(const Row& row);

}  // namespace tessera::executor
