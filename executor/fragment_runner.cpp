// The fragment runner: scan by the fragment's access path, filter, join a
// co-located table, then project + top-N/limit (reads) or write with constraint checks.
#include "executor/fragment_runner.h"
#include "executor/needed_columns.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "common/error.h"
#include "executor/aggregator.h"
#include "executor/index_fence.h"
#include "executor/row_locking.h"
#include "executor/background_free.h"
#include "planner/key_list.h"
#include "executor/sort_util.h"
#include "executor/statement_poll.h"
#include "executor/table_store.h"
#include "executor/top_n.h"
#include "planner/key_bound.h"
#include "storage/key_encoding.h"
#include "storage/row_encoding.h"

namespace tessera::executor {

namespace {

using planner::Fragment;
using planner::FragmentKind;
using planner::ScanKind;

struct ScannedRow {
  std::string pk_suffix;
  Row row;
};

const std::vector<int>& KeyColumns(const planner::TableLayout& table, const planner::ScanSpec& scan) {
  if (scan.index_id == 0) return table.primary_key;
  for (auto& i : table.indexes)
    if (i.id == scan.index_id) return i.columns;
  throw SqlError::Internal("fragment names an index its table does not have");
}

bool KeyDescending(const planner::TableLayout& table, const planner::ScanSpec& scan, size_t k) {
  if (scan.index_id == 0) return false;
  for (auto& i : table.indexes)
    if (i.id == scan.index_id) return k < i.descending.size() && i.descending[k];
  return false;
}

// The key bytes of `values` (a prefix of the scan's key). False when the
// scan is empty: a NULL, or a value of another type that no key value can
// equal or, for the range bound after the scan's equalities (on `side`),
// satisfy; such a bound may also become inclusive (key_bound.h).
bool EncodeBound(const planner::TableLayout& table, const planner::ScanSpec& scan,
                 const std::vector<planner::ExprRef>& values, const planner::EvalContext& ctx, std::string* out,
                 planner::KeyBoundSide side = planner::KeyBoundSide::kEqual, bool* inclusive = nullptr) {
  const std::vector<int>& columns = KeyColumns(table, scan);
  *out = storage::KeyPrefix(table.table_id, scan.index_id);
  for (size_t k = 0; k < values.size(); ++k) {
    Value v = planner::Evaluate(*values[k], {}, ctx);
    if (v.IsNull()) return false;
    Type column_type = table.column_types[columns[k]];
    if (v.Id() != column_type.id) {
      if (planner::KeyBoundConvertible(column_type.id, v.Id())) {
        if (!planner::ToKeyBound(&v, column_type, k < scan.equalities ? planner::KeyBoundSide::kEqual : side,
                                 inclusive))
          return false;
      } else {
        v = v.CastTo(column_type, {}, false);
      }
    }
    storage::AppendKeyValue(out, v, KeyDescending(table, scan, k));
  }
  return true;
}

// What one fragment run polls and charges: 57014 once the statement was
// cancelled (on a storage node: the gateway gave up or the client
// cancelled) or its statement_timeout passed, ticked per row; 53200 past
// the statement's memory. The charges end with the run: the caller charges
// the result it keeps.
struct RunLimits {
  StatementPoll poll;
  MemoryAccount* memory = nullptr;
};

// Calls `fn(pk_suffix, row)` for every row of `table` the access path
// yields, until it returns false.
// `needed`: when given, a range scan of the primary key decodes only those
// columns (needed_columns.h); the others come out NULL.
template <class Fn>
void ScanRows(const planner::TableLayout& table, const planner::ScanSpec& scan, storage::Transaction& txn,
              const planner::EvalContext& ctx, RunLimits& limits, Fn fn, const std::vector<bool>* needed = nullptr) {
  TableStore store(table, txn);
  std::string primary_prefix = storage::KeyPrefix(table.table_id, storage::kPrimaryIndexId);
  std::string start, end;
  if (scan.kind == ScanKind::kPoint && scan.index_id == 0) {
    if (!EncodeBound(table, scan, scan.lower, ctx, &start)) return;
    auto bytes = txn.Get(start);
    if (bytes) fn(start.substr(primary_prefix.size()), storage::DecodeRow(*bytes, table.column_types));
    return;
  }
  if (scan.kind == ScanKind::kKeyList) {
    // In key order, each key once: the rows come out as a scan's would.
    std::vector<std::string> keys;
    for (auto& value : planner::KeyListValues(scan, ctx))
      if (EncodeBound(table, scan, {value}, ctx, &start)) keys.push_back(start);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto& key : keys) {
      limits.poll.Tick();
      auto bytes = txn.Get(key);
      if (bytes && !fn(key.substr(primary_prefix.size()), storage::DecodeRow(*bytes, table.column_types))) return;
    }
    return;
  }
  bool lower_inclusive = scan.lower_inclusive, upper_inclusive = scan.upper_inclusive;
  if (!EncodeBound(table, scan, scan.lower, ctx, &start, planner::KeyBoundSide::kLower, &lower_inclusive) ||
      !EncodeBound(table, scan, scan.upper, ctx, &end, planner::KeyBoundSide::kUpper, &upper_inclusive))
    return;
  if (!lower_inclusive) start = storage::PrefixEnd(start);
  if (upper_inclusive) end = storage::PrefixEnd(end);
  auto it = txn.Scan(start, end);
  if (scan.index_id == 0) {
    for (; it->Valid(); it->Next()) {
      limits.poll.Tick();
      Row row = needed ? storage::DecodeRow(it->Value(), table.column_types, *needed)
                       : storage::DecodeRow(it->Value(), table.column_types);
      if (!fn(std::string(it->Key().substr(primary_prefix.size())), std::move(row))) return;
    }
    return;
  }
  std::vector<std::pair<std::string, std::string>> entries;  // key, pk suffix
  MemoryCharge charge(limits.memory, "IndexScan");
  for (; it->Valid(); it->Next()) {
    limits.poll.Tick();
    entries.emplace_back(it->Key(), it->Value());
    charge.Add(static_cast<int64_t>(2 * sizeof(std::string) + entries.back().first.capacity() +
                                    entries.back().second.capacity()));
  }
  for (auto& [key, suffix] : entries) {
    limits.poll.Tick();
    auto row = store.GetRow(suffix);
    // An entry left by an index build for a version since replaced is skipped (index_fence.h).
    if (row && store.EntryMatches(scan.index_id, key, *row, suffix) && !fn(suffix, std::move(*row))) return;
  }
}

// The scan's input rows after the fragment's filter and, for a co-located
// join, joined with their partners (see planner::FragmentJoin): calls
// `fn(pk_suffix, row)` until it returns false. Both tables' keys are
// byte-equal for partners, so one suffix names both rows.
template <class Fn>
void InputRows(const Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx, RunLimits& limits,
               Fn fn, const std::vector<bool>* needed = nullptr) {
  auto passes = [&](const planner::ExprRef& predicate, const Row& row) {
    return !predicate || planner::EvaluatePredicate(*predicate, row, ctx);
  };
  if (!f.join) {
    ScanRows(
        f.table, f.scan, txn, ctx, limits,
        [&](const std::string& suffix, Row row) { return !passes(f.filter, row) || fn(suffix, std::move(row)); },
        needed);
    return;
  }
  const planner::FragmentJoin& join = *f.join;
  size_t inner_width = join.table.column_names.size();
  // Emits outer ++ inner (or the NULL-extended outer row of a left join);
  // returns what `fn` returns, true when nothing is emitted.
  auto emit = [&](const std::string& suffix, Row outer, const Row* inner) {
    Row joined = std::move(outer);
    size_t outer_width = joined.size();
    if (inner) {
      joined.insert(joined.end(), inner->begin(), inner->end());
      if (passes(join.condition, joined)) return fn(suffix, std::move(joined));
      joined.resize(outer_width);
    }
    if (join.kind == planner::FragmentJoinKind::kInner) return true;
    joined.resize(outer_width + inner_width, Value::Null());
    return fn(suffix, std::move(joined));
  };
  switch (join.method) {
    case planner::FragmentJoinMethod::kLookupInner: {
      TableStore inner_store(join.table, txn);
      ScanRows(f.table, f.scan, txn, ctx, limits, [&](const std::string& suffix, Row outer) {
        if (!passes(f.filter, outer)) return true;
        std::optional<Row> inner = inner_store.GetRow(suffix);
        if (inner && !passes(join.filter, *inner)) inner.reset();
        return emit(suffix, std::move(outer), inner ? &*inner : nullptr);
      });
      return;
    }
    case planner::FragmentJoinMethod::kLookupOuter: {
      TS_ASSERT(join.kind == planner::FragmentJoinKind::kInner, "a left join cannot be driven by its inner side");
      TableStore outer_store(f.table, txn);
      ScanRows(join.table, join.scan, txn, ctx, limits, [&](const std::string& suffix, Row inner) {
        if (!passes(join.filter, inner)) return true;
        std::optional<Row> outer = outer_store.GetRow(suffix);
        if (!outer || !passes(f.filter, *outer)) return true;
        return emit(suffix, std::move(*outer), &inner);
      });
      return;
    }
    case planner::FragmentJoinMethod::kHashInner: {
      std::unordered_map<std::string, Row> inner_rows;
      MemoryCharge charge(limits.memory, "HashTableContext");
      ScanRows(join.table, join.scan, txn, ctx, limits, [&](const std::string& suffix, Row inner) {
        if (!passes(join.filter, inner)) return true;
        charge.Add(EstimateRowBytes(inner) + static_cast<int64_t>(sizeof(std::string) + suffix.size()) +
                   kHashEntryOverhead);
        inner_rows.emplace(suffix, std::move(inner));
        return true;
      });
      ScanRows(f.table, f.scan, txn, ctx, limits, [&](const std::string& suffix, Row outer) {
        if (!passes(f.filter, outer)) return true;
        auto partner = inner_rows.find(suffix);
        return emit(suffix, std::move(outer), partner == inner_rows.end() ? nullptr : &partner->second);
      });
      return;
    }
  }
}

// What a scan fragment builds up. On an error (a cancel, a timeout, 53200)
// a big one is freed in the background, uncharged first: the account may
// be gone before that thread is done.
struct ScanState {
  planner::FragmentResult result;
  std::unique_ptr<TopN> top_n;
  std::unique_ptr<HashAggregator> aggregator;
};

void ScanInto(const Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx, bool want_row_keys,
              RunLimits& limits, ScanState& state, MemoryCharge& charge) {
  planner::FragmentResult& result = state.result;
  const std::optional<std::vector<bool>> needed_columns = NeededColumns(f);
  const std::vector<bool>* needed = needed_columns ? &*needed_columns : nullptr;
  if (!f.aggregates.empty() || !f.group_by.empty()) {
    state.aggregator = std::make_unique<HashAggregator>(f.group_by, f.aggregates, ctx, &limits.poll, limits.memory);
    HashAggregator& aggregator = *state.aggregator;
    InputRows(
        f, txn, ctx, limits,
        [&](const std::string&, Row row) {
          aggregator.Add(row);
          return true;
        },
        needed);
    result.rows = aggregator.Finish();
    // Freeing a million groups takes long enough to matter to a cancel
    // arriving meanwhile: big ones go to the background, uncharged.
    if (aggregator.Charged() >= kBackgroundFreeBytes) {
      aggregator.Uncharge();
      FreeInBackground(std::move(state.aggregator));
    }
    return;
  }
  bool early_stop = f.limit >= 0 && f.top_n.empty();
  if (!f.top_n.empty()) {
    // The planner sets top_n only with a limit (LIMIT n + OFFSET m).
    if (f.limit < 0) throw SqlError::Internal("a fragment's top-N has no limit");
    state.top_n = std::make_unique<TopN>(f.top_n, static_cast<size_t>(f.limit), limits.memory, "TupleSort main");
  }
  TopN* top_n = state.top_n.get();
  const std::vector<bool> movable = MovableProjections(f.projection);
  bool keys = want_row_keys && f.top_n.empty() && f.scan.index_id == 0;
  InputRows(f, txn, ctx, limits, [&](const std::string& suffix, Row row) {
    if (keys) {
      result.row_keys.push_back(suffix);
      charge.Add(static_cast<int64_t>(sizeof(std::string) + suffix.size()));
    }
    Row out;
    if (f.projection.empty()) {
      out = std::move(row);
    } else {
      out.reserve(f.projection.size());
      for (size_t i = 0; i < f.projection.size(); ++i) {
        const planner::BoundExpr& e = *f.projection[i];
        if (movable[i] && static_cast<size_t>(e.index) < row.size()) {
          out.push_back(std::move(row[static_cast<size_t>(e.index)]));
        } else {
          out.push_back(planner::Evaluate(e, row, ctx));
        }
      }
    }
    if (top_n) {
      top_n->Offer(std::move(out), ctx);
      return true;
    }
    charge.Add(EstimateRowBytes(out));
    result.rows.push_back(std::move(out));
    return !(early_stop && static_cast<int64_t>(result.rows.size()) >= f.limit);
  }, needed);
  if (top_n) {
    result.rows = top_n->TakeSorted();
    for (const Row& row : result.rows) charge.Add(EstimateRowBytes(row));
  }
}

// SELECT ... FOR UPDATE: the filtered rows, then locked (row_locking.h).
planner::FragmentResult RunLockingScan(const Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx,
                                       bool want_row_keys, RunLimits& limits) {
  if (f.join || !f.aggregates.empty() || !f.group_by.empty())
    throw SqlError::Internal("a locking scan fragment has a join or an aggregate");
  std::vector<LockCandidate> candidates;
  MemoryCharge charge(limits.memory, "LockRows");
  InputRows(f, txn, ctx, limits, [&](const std::string& suffix, Row row) {
    charge.Add(EstimateRowBytes(row) + static_cast<int64_t>(sizeof(std::string) + suffix.size()));
    candidates.push_back({suffix, std::move(row)});
    return true;
  });
  return LockRows(f, txn, ctx, std::move(candidates), want_row_keys, limits.poll, limits.memory);
}

planner::FragmentResult RunScan(const Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx,
                                bool want_row_keys, RunLimits& limits) {
  if (f.lock_rows) return RunLockingScan(f, txn, ctx, want_row_keys, limits);
  auto state = std::make_unique<ScanState>();
  // The result is held until the run ends.
  MemoryCharge charge(limits.memory, "ExecutorState");
  try {
    ScanInto(f, txn, ctx, want_row_keys, limits, *state, charge);
  } catch (...) {
    int64_t held = charge.Charged() + (state->aggregator ? state->aggregator->Charged() : 0) +
                   (state->top_n ? state->top_n->Charged() : 0);
    if (held >= kBackgroundFreeBytes) {
      charge.Reset();
      if (state->aggregator) state->aggregator->Uncharge();
      if (state->top_n) state->top_n->Uncharge();
      FreeInBackground(std::move(state));
    }
    throw;
  }
  return std::move(state->result);
}

void AddReturning(const Fragment& f, const Row& row, const planner::EvalContext& ctx, planner::FragmentResult* result,
                  const Row* old_row = nullptr) {
  if (f.returning.empty() && f.returning_old.empty()) return;
  Row out;
  for (auto& e : f.returning) out.push_back(planner::Evaluate(*e, row, ctx));
  if (old_row != nullptr)
    for (auto& e : f.returning_old) out.push_back(planner::Evaluate(*e, *old_row, ctx));
  result->rows.push_back(std::move(out));
}

// ON CONFLICT (key) DO UPDATE for a proposed row whose key is taken: locks
// the existing row and takes its newest committed version (READ COMMITTED;
// REPEATABLE READ gets 40001 from the lock, as PostgreSQL does), then
// applies SET where WHERE holds, over the existing row followed by the
// proposed one (`excluded`). The new row, or nothing when WHERE filtered it.
std::optional<Row> UpdateConflicting(const Fragment& f, TableStore& store, storage::Transaction& txn,
                                     const planner::EvalContext& ctx, const std::string& suffix,
                                     const Row& proposed) {
  std::string key = store.RowKey(suffix);
  std::optional<std::string> current = txn.Get(key);
  storage::Transaction::RowLock lock =
      txn.LockRow(key, current ? std::optional<std::string_view>(*current) : std::nullopt);
  if (lock.changed) current = lock.latest;
  std::optional<Row> existing;
  if (current) existing = storage::DecodeRow(*current, f.table.column_types);
  if (!existing) {
    // Deleted by a transaction that committed since the conflict was seen:
    // PostgreSQL would try the insert again; asking the client to is simpler.
    throw SqlError(sqlstate::kSerializationFailure, "could not serialize access due to concurrent delete");
  }
  Row both = *existing;
  both.insert(both.end(), proposed.begin(), proposed.end());
  if (f.conflict_filter && !planner::EvaluatePredicate(*f.conflict_filter, both, ctx)) return std::nullopt;
  Row updated = *existing;
  for (auto& s : f.conflict_set) updated[s.column] = planner::Evaluate(*s.value, both, ctx);
  store.Update(suffix, *existing, updated);
  return updated;
}

planner::FragmentResult RunInsert(const planner::FragmentRequest& request, storage::Transaction& txn,
                                  const FragmentServices& services, const planner::EvalContext& ctx) {
  const Fragment& f = *request.fragment;
  TableStore store(f.table, txn);
  planner::FragmentResult result;
  // Row ids for the whole batch in one allocation: each one is a durable counter update.
  int64_t next_row_id = 0;
  bool given_ids = !request.row_ids.empty();
  if (given_ids && request.row_ids.size() != request.rows.size())
    throw SqlError(sqlstate::kInternalError, "insert request has a row id count unlike its row count");
  if (f.table.HasHiddenRowId() && !given_ids && !request.rows.empty())
    next_row_id = services.allocate("rowid:" + std::to_string(f.table.table_id), static_cast<int64_t>(request.rows.size()));
  ConflictSkip skip = ConflictSkip::Of(f);
  std::set<std::string> touched;  // DO UPDATE: keys this command wrote
  for (size_t i = 0; i < request.rows.size(); ++i) {
    const Row& row = request.rows[i];
    std::string suffix;
    if (f.table.HasHiddenRowId()) {
      storage::AppendKeyValue(&suffix, Value::Int8(given_ids ? request.row_ids[i] : next_row_id++));
    } else {
      store.CheckNotNull(row);
      suffix = store.PrimaryKeySuffix(row);
    }
    if (f.on_conflict_do_update) {
      // A row this command inserted or updated must not be updated again.
      if (!touched.insert(suffix).second) throw AffectsRowTwice();
      if (store.Insert(row, suffix, skip)) {
        ++result.affected;
        AddReturning(f, row, ctx, &result);
      } else if (auto updated = UpdateConflicting(f, store, txn, ctx, suffix, row)) {
        ++result.affected;
        AddReturning(f, *updated, ctx, &result);
      }
      continue;
    }
    if (!store.Insert(row, suffix, skip)) continue;
    ++result.affected;
    AddReturning(f, row, ctx, &result);
  }
  return result;
}

// Locks a matched row before it is updated or deleted, waiting for a
// concurrent writer. If that writer committed a newer version (READ
// COMMITTED; REPEATABLE READ throws 40001 instead), the newest version is
// re-checked against the filter and becomes the row to change, as
// PostgreSQL's EvalPlanQual does: concurrent `SET x = x + 1` all count.
// False: the row is gone or no longer matches.
bool LockMatch(const Fragment& f, TableStore& store, storage::Transaction& txn, const planner::EvalContext& ctx,
               ScannedRow* match) {
  // The placeholder value is overwritten by the caller's write right after.
  storage::Transaction::RowLock lock = txn.LockRow(store.RowKey(match->pk_suffix), std::nullopt);
  if (!lock.changed) return true;
  if (!lock.latest) return false;
  Row latest = storage::DecodeRow(*lock.latest, f.table.column_types);
  if (f.filter && !planner::EvaluatePredicate(*f.filter, latest, ctx)) return false;
  match->row = std::move(latest);
  return true;
}

planner::FragmentResult RunUpdateOrDelete(const Fragment& f, storage::Transaction& txn,
                                          const planner::EvalContext& ctx, RunLimits& limits) {
  // Collect first, then write: an update that moves a row forward in key
  // order must not meet it again.
  std::vector<ScannedRow> matches;
  MemoryCharge charge(limits.memory, "ModifyTable");
  ScanRows(f.table, f.scan, txn, ctx, limits, [&](const std::string& suffix, Row row) {
    if (f.filter && !planner::EvaluatePredicate(*f.filter, row, ctx)) return true;
    charge.Add(EstimateRowBytes(row) + static_cast<int64_t>(sizeof(std::string) + suffix.size()));
    matches.push_back({suffix, std::move(row)});
    return true;
  });
  TableStore store(f.table, txn);
  planner::FragmentResult result;
  for (auto& m : matches) {
    limits.poll.Tick();
    if (!LockMatch(f, store, txn, ctx, &m)) continue;
    if (f.kind == FragmentKind::kDelete) {
      store.Delete(m.pk_suffix, m.row);
      AddReturning(f, m.row, ctx, &result);
    } else {
      Row updated = m.row;
      for (auto& s : f.set) updated[s.column] = planner::Evaluate(*s.value, m.row, ctx);
      store.Update(m.pk_suffix, m.row, updated);
      AddReturning(f, updated, ctx, &result, &m.row);
    }
    ++result.affected;
  }
  return result;
}

const planner::TableLayout::Index& IndexOf(const Fragment& f) {
  for (auto& index : f.table.indexes)
    if (index.id == f.scan.index_id) return index;
  throw SqlError::Internal("index fragment names an index its table does not have");
}

planner::FragmentResult RunBuildIndex(const Fragment& f, storage::Transaction& txn, const std::atomic<bool>* cancel) {
  const planner::TableLayout::Index& index = IndexOf(f);
  planner::FragmentResult result;
  if (f.await_writers_only) {  // the first of two steps (index_fence.h)
    RegisterAndAwaitWriters(f.table, index, txn, cancel);
    return result;
  }
  TableStore(f.table, txn).BuildIndex(index, [&](const Row& row) {
    ++result.affected;
    if (!index.unique) return;
    Row values;
    for (int c : index.columns) {
      if (row[c].IsNull()) return;  // NULLs never collide
      values.push_back(row[c]);
    }
    result.rows.push_back(std::move(values));
  });
  return result;
}

planner::FragmentResult RunDropIndex(const Fragment& f, storage::Transaction& txn) {
  IndexFence::Instance().Forget(f.table.table_id, f.scan.index_id);
  txn.Delete(IndexMarkerKey(f.table.table_id, f.scan.index_id));
  std::string prefix = storage::KeyPrefix(f.table.table_id, f.scan.index_id);
  std::vector<std::string> keys;
  for (auto it = txn.Scan(prefix, storage::PrefixEnd(prefix)); it->Valid(); it->Next()) keys.emplace_back(it->Key());
  for (auto& key : keys) txn.Delete(key);
  planner::FragmentResult result;
  result.affected = static_cast<int64_t>(keys.size());
  return result;
}

}  // namespace

SqlError AffectsRowTwice() {
  return SqlError("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time", {},
                  "Ensure that no rows proposed for insertion within the same command have duplicate "
                  "constrained values.");
}

bool EncodeScanBound(const Fragment& f, const std::vector<planner::ExprRef>& values,
                     const planner::EvalContext& ctx, std::string* out) {
  return EncodeBound(f.table, f.scan, values, ctx, out);
}

planner::EvalContext FragmentEvalContext(const planner::FragmentRequest& request, const FragmentServices& services) {
  planner::EvalContext ctx;
  ctx.params = &request.params;
  ctx.subquery_rows = &request.subquery_rows;
  ctx.outer_values = &request.outer_values;
  ctx.functions = services.functions;
  ctx.next_val = services.next_val;
  ctx.sequence_op = services.sequence_op;
  return ctx;
}

planner::FragmentResult RunFragment(const planner::FragmentRequest& request, storage::Transaction& txn,
                                    const FragmentServices& services) {
  planner::EvalContext ctx = FragmentEvalContext(request, services);
  const Fragment& f = *request.fragment;
  RunLimits limits;
  limits.poll.cancel = services.cancel;
  limits.poll.deadline_ns = services.deadline_ns;
  limits.memory = services.memory;
  limits.poll.Check();  // a statement stopped between two fragments runs no more
  switch (f.kind) {
    case FragmentKind::kScan: return RunScan(f, txn, ctx, request.want_row_keys, limits);
    case FragmentKind::kInsert: return RunInsert(request, txn, services, ctx);
    case FragmentKind::kUpdate:
    case FragmentKind::kDelete: return RunUpdateOrDelete(f, txn, ctx, limits);
    case FragmentKind::kBuildIndex: return RunBuildIndex(f, txn, services.cancel);
    case FragmentKind::kDropIndex: return RunDropIndex(f, txn);
  }
  throw SqlError::Internal("unknown fragment kind");
}

}  // namespace tessera::executor
