// A fragment is the part of a plan that runs next to the data on one storage
// node: scan (point, range or full, on the primary key or an index) ->
// filter -> project -> top-N / limit, or a write (insert, update, delete with
// the unique and not-null checks, index builds and drops). It names everything it needs (the table's
// layout travels with it) so a shard can run it without the catalog, and it
// serialises to bytes (fragment_codec.h) so the cluster transport is only a
// transport. Embedded mode runs the very same structure in-process.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "planner/bound_expr.h"

namespace tessera::planner {

// What a shard needs to read and write the rows of one table.
struct TableLayout {
  struct Index {
    uint32_t id = 0;
    std::string name;
    std::vector<int> columns;
    std::vector<bool> descending;
    bool unique = false;
  };
  uint32_t table_id = 0;
  std::string table_name;
  std::string schema_name;  // for the schema field of integrity errors
  std::vector<std::string> column_names;
  std::vector<Type> column_types;
  std::vector<bool> not_null;
  std::vector<int> primary_key;  // empty: hidden int8 row id key, allocated from "rowid:<id>"
  std::string primary_key_name;
  std::vector<Index> indexes;
  // CHECK constraints, over the row's columns, tested on every row written.
  struct Check {
    std::string name;
    ExprRef expr;
  };
  std::vector<Check> checks;

  bool HasHiddenRowId() const { return primary_key.empty(); }
};

enum class FragmentKind : uint8_t {
  kScan,
  kInsert,
  kUpdate,
  kDelete,
  // DDL data work, on every shard's own rows: write the entries of index
  // `scan.index_id` (in `table.indexes`) for every row, or delete them all.
  // A unique index build also returns each entry's values (NULLs skipped), so
  // the caller can find duplicates that lie on different shards.
  kBuildIndex,
  kDropIndex,
};
// kKeyList: point lookups of several whole primary keys (`pk IN (...)` or
// `pk = ANY (array)` on a one-column key); `lower` holds one value per key,
// or with `key_array` one array whose elements are the keys (key_list.h).
enum class ScanKind : uint8_t { kFull, kPoint, kRange, kKeyList };

// Key bounds are expressions over constants and parameters, evaluated when
// the fragment runs: a prepared UPDATE ... WHERE aid = $2 keeps its point lookup.
struct ScanSpec {
  ScanKind kind = ScanKind::kFull;
  uint32_t index_id = 0;  // 0: the primary key
  std::vector<ExprRef> lower;  // point: the whole key prefix; range: lower bound prefix
  bool lower_inclusive = true;
  std::vector<ExprRef> upper;  // range: upper bound prefix; empty: unbounded
  bool upper_inclusive = true;
  // How many leading values of `lower` and `upper` are equalities; a range
  // adds at most one bound after them to each. Values of another type than
  // their key column become bounds by it (key_bound.h). Point and key-list
  // values are all equalities.
  uint32_t equalities = 0;
  // kKeyList: `lower` is one array expression (a parameter or a constant),
  // expanded into the keys when the fragment runs (KeyListValues).
  bool key_array = false;
};

struct SortKey {
  ExprRef expr;
  bool descending = false;
  bool nulls_first = false;
};

struct SetColumn {
  int column = 0;
  ExprRef value;  // over the old row
};

// A join that runs inside a scan fragment because both tables are
// partitioned alike: the join condition equates the two whole primary keys,
// column by column and of identical types, so matching rows have the same
// key bytes, hence the same bucket and the same shard. Each shard joins its
// own rows and the union of the shards' results is the whole join. Keys are
// unique on both sides, so every row has at most one partner.
enum class FragmentJoinKind : uint8_t { kInner, kLeft };
enum class FragmentJoinMethod : uint8_t {
  kLookupInner,  // scan the outer table by `scan`, read each partner by key
  kLookupOuter,  // scan the inner table by `join->scan`, read each partner by key (inner joins)
  kHashInner,    // hash the inner table's rows by key, then scan the outer table
};

struct FragmentJoin {
  FragmentJoinKind kind = FragmentJoinKind::kInner;
  FragmentJoinMethod method = FragmentJoinMethod::kHashInner;
  TableLayout table;  // the inner (right-hand) table
  ScanSpec scan;      // its access path; a full scan when its rows are read by key
  ExprRef filter;     // over the inner row; null: none
  ExprRef condition;  // beyond the key equality, over outer ++ inner; null: none
};

// SELECT ... FOR UPDATE: what a locking scan does when another transaction
// holds a row's lock.
enum class RowLockWait : uint8_t { kBlock, kNoWait, kSkipLocked };

struct Fragment {
  FragmentKind kind = FragmentKind::kScan;
  TableLayout table;
  ScanSpec scan;
  ExprRef filter;                   // over the table row; null: none
  // kScan only: joined with a co-located table; the row that the projection,
  // aggregates and top-N see is then the outer row followed by the inner one
  // (all NULL for an unmatched outer row of a left join).
  std::shared_ptr<const FragmentJoin> join;
  std::vector<ExprRef> projection;  // kScan output; empty: the whole row
  // Partial aggregate (kScan, instead of `projection`): output is the group
  // keys then one partial result per aggregate, merged by the gateway.
  std::vector<ExprRef> group_by;
  std::vector<ExprRef> aggregates;
  std::vector<SortKey> top_n;       // over the projected row; sorts before `limit`
  int64_t limit = -1;               // -1: none
  std::vector<SetColumn> set;       // kUpdate
  std::vector<ExprRef> returning;   // over the new row (insert/update) or the old one (delete)
  // kUpdate: more RETURNING values, over the old row, after `returning`'s.
  std::vector<ExprRef> returning_old;
  // Foreign keys (executor/foreign_keys.h): the last `fk_returning` values
  // of each returned row (the whole new row of an insert or update, then an
  // update's whole old row; a delete's old row) are for the gateway's
  // checks at the end of the statement, not for the client.
  uint32_t fk_returning = 0;
  bool on_conflict_do_nothing = false;  // kInsert
  // kInsert with ON CONFLICT: the unique key whose conflicts it handles
  // (0: the primary key, else a unique index's id), or -1: any (DO NOTHING
  // without a target). Conflicts on other keys raise 23505.
  int64_t conflict_arbiter = -1;
  // DO UPDATE (arbiter: the primary key): SET values and WHERE over the
  // existing row followed by the proposed one (`excluded`).
  bool on_conflict_do_update = false;
  std::vector<SetColumn> conflict_set;
  ExprRef conflict_filter;
  // kScan, SELECT ... FOR UPDATE: each row the scan returns is locked on the
  // node that holds it, within the transaction, after the filter and before
  // the limit (executor/row_locking.h); no join or aggregate then.
  bool lock_rows = false;
  RowLockWait lock_wait = RowLockWait::kBlock;
  // kBuildIndex: only register the index and wait for the transactions
  // writing the table (executor/index_fence.h); the build comes after.
  bool await_writers_only = false;
};
using FragmentRef = std::shared_ptr<const Fragment>;

// One execution: the fragment with the statement's parameters and, for an
// insert, the rows to write (already complete table rows).
struct FragmentRequest {
  FragmentRef fragment;
  std::vector<Value> params;
  std::vector<Row> rows;
  std::vector<std::vector<Value>> subquery_rows;  // see EvalContext::subquery_rows
  // A fragment of a correlated subquery's plan: the outer values it runs
  // with (EvalContext::outer_values, read by kOuterRef).
  std::vector<Value> outer_values;
  // Insert into a table without a primary key: the hidden row id of each row
  // (a cluster gateway assigns them, to place rows by their key); empty: the
  // fragment allocates them.
  std::vector<int64_t> row_ids;
  // Scan of the primary key without aggregate or top-N: return each row's
  // key suffix too, so a gateway can merge shards' rows in key order.
  bool want_row_keys = false;
};

struct FragmentResult {
  std::vector<Row> rows;  // scan output or RETURNING rows
  int64_t affected = 0;   // rows written
  std::vector<std::string> row_keys;  // with want_row_keys: one per row
};

}  // namespace tessera::planner
