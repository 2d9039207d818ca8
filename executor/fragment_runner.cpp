// The fragment runner: scan by the fragment's access path, filter, join a
// co-located table, then project + top-N/limit (reads) or write with constraint checks.
#include "executor/fragment_runner.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "common/error.h"
#include "executor/aggregator.h"
#include "executor/sort_util.h"
#include "executor/table_store.h"
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

bool EncodeBound(const planner::TableLayout& table, const planner::ScanSpec& scan,
                 const std::vector<planner::ExprRef>& values, const planner::EvalContext& ctx, std::string* out) {
  const std::vector<int>& columns = KeyColumns(table, scan);
  *out = storage::KeyPrefix(table.table_id, scan.index_id);
  for (size_t k = 0; k < values.size(); ++k) {
    Value v = planner::Evaluate(*values[k], {}, ctx);
    if (v.IsNull()) return false;
    Type column_type = table.column_types[columns[k]];
    if (v.Id() != column_type.id) v = v.CastTo(column_type, {}, false);
    storage::AppendKeyValue(out, v, KeyDescending(table, scan, k));
  }
  return true;
}

// 57014 once the statement was cancelled (on a storage node: the gateway
// gave up or the client cancelled); checked every kCancelCheckRows rows.
constexpr size_t kCancelCheckRows = 1024;
void CheckCancelled(const std::atomic<bool>* cancel, size_t rows) {
  if (cancel && rows % kCancelCheckRows == 0 && cancel->load(std::memory_order_relaxed))
    throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
}

// Calls `fn(pk_suffix, row)` for every row of `table` the access path
// yields, until it returns false.
template <class Fn>
void ScanRows(const planner::TableLayout& table, const planner::ScanSpec& scan, storage::Transaction& txn,
              const planner::EvalContext& ctx, const std::atomic<bool>* cancel, Fn fn) {
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
    for (auto& value : scan.lower)
      if (EncodeBound(table, scan, {value}, ctx, &start)) keys.push_back(start);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    size_t rows = 0;
    for (auto& key : keys) {
      CheckCancelled(cancel, ++rows);
      auto bytes = txn.Get(key);
      if (bytes && !fn(key.substr(primary_prefix.size()), storage::DecodeRow(*bytes, table.column_types))) return;
    }
    return;
  }
  if (!EncodeBound(table, scan, scan.lower, ctx, &start) || !EncodeBound(table, scan, scan.upper, ctx, &end)) return;
  if (!scan.lower_inclusive) start = storage::PrefixEnd(start);
  if (scan.upper_inclusive) end = storage::PrefixEnd(end);
  auto it = txn.Scan(start, end);
  size_t rows = 0;
  if (scan.index_id == 0) {
    for (; it->Valid(); it->Next()) {
      CheckCancelled(cancel, ++rows);
      if (!fn(std::string(it->Key().substr(primary_prefix.size())), storage::DecodeRow(it->Value(), table.column_types)))
        return;
    }
    return;
  }
  std::vector<std::string> suffixes;
  for (; it->Valid(); it->Next()) suffixes.emplace_back(it->Value());
  for (auto& suffix : suffixes) {
    CheckCancelled(cancel, ++rows);
    auto row = store.GetRow(suffix);
    if (row && !fn(suffix, std::move(*row))) return;
  }
}

// The scan's input rows after the fragment's filter and, for a co-located
// join, joined with their partners (see planner::FragmentJoin): calls
// `fn(pk_suffix, row)` until it returns false. Both tables' keys are
// byte-equal for partners, so one suffix names both rows.
template <class Fn>
void InputRows(const Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx,
               const std::atomic<bool>* cancel, Fn fn) {
  auto passes = [&](const planner::ExprRef& predicate, const Row& row) {
    return !predicate || planner::EvaluatePredicate(*predicate, row, ctx);
  };
  if (!f.join) {
    ScanRows(f.table, f.scan, txn, ctx, cancel, [&](const std::string& suffix, Row row) {
      return !passes(f.filter, row) || fn(suffix, std::move(row));
    });
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
      ScanRows(f.table, f.scan, txn, ctx, cancel, [&](const std::string& suffix, Row outer) {
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
      ScanRows(join.table, join.scan, txn, ctx, cancel, [&](const std::string& suffix, Row inner) {
        if (!passes(join.filter, inner)) return true;
        std::optional<Row> outer = outer_store.GetRow(suffix);
        if (!outer || !passes(f.filter, *outer)) return true;
        return emit(suffix, std::move(*outer), &inner);
      });
      return;
    }
    case planner::FragmentJoinMethod::kHashInner: {
      std::unordered_map<std::string, Row> inner_rows;
      ScanRows(join.table, join.scan, txn, ctx, cancel, [&](const std::string& suffix, Row inner) {
        if (passes(join.filter, inner)) inner_rows.emplace(suffix, std::move(inner));
        return true;
      });
      ScanRows(f.table, f.scan, txn, ctx, cancel, [&](const std::string& suffix, Row outer) {
        if (!passes(f.filter, outer)) return true;
        auto partner = inner_rows.find(suffix);
        return emit(suffix, std::move(outer), partner == inner_rows.end() ? nullptr : &partner->second);
      });
      return;
    }
  }
}

planner::FragmentResult RunScan(const Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx,
                                bool want_row_keys, const std::atomic<bool>* cancel) {
  planner::FragmentResult result;
  if (!f.aggregates.empty() || !f.group_by.empty()) {
    HashAggregator aggregator(f.group_by, f.aggregates, ctx);
    InputRows(f, txn, ctx, cancel, [&](const std::string&, Row row) {
      aggregator.Add(row);
      return true;
    });
    result.rows = aggregator.Finish();
    return result;
  }
  bool early_stop = f.limit >= 0 && f.top_n.empty();
  std::vector<KeyedRow> keyed;
  bool keys = want_row_keys && f.top_n.empty() && f.scan.index_id == 0;
  InputRows(f, txn, ctx, cancel, [&](const std::string& suffix, Row row) {
    if (keys) result.row_keys.push_back(suffix);
    Row out;
    if (f.projection.empty()) {
      out = std::move(row);
    } else {
      out.reserve(f.projection.size());
      for (auto& e : f.projection) out.push_back(planner::Evaluate(*e, row, ctx));
    }
    if (!f.top_n.empty()) {
      keyed.push_back(MakeKeyed(std::move(out), f.top_n, ctx));
      return true;
    }
    result.rows.push_back(std::move(out));
    return !(early_stop && static_cast<int64_t>(result.rows.size()) >= f.limit);
  });
  if (!f.top_n.empty()) {
    std::stable_sort(keyed.begin(), keyed.end(),
                     [&](const KeyedRow& a, const KeyedRow& b) { return CompareKeys(a.keys, b.keys, f.top_n) < 0; });
    size_t n = f.limit >= 0 ? std::min<size_t>(keyed.size(), f.limit) : keyed.size();
    for (size_t i = 0; i < n; ++i) result.rows.push_back(std::move(keyed[i].row));
  }
  return result;
}

void AddReturning(const Fragment& f, const Row& row, const planner::EvalContext& ctx, planner::FragmentResult* result) {
  if (f.returning.empty()) return;
  Row out;
  for (auto& e : f.returning) out.push_back(planner::Evaluate(*e, row, ctx));
  result->rows.push_back(std::move(out));
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
  for (size_t i = 0; i < request.rows.size(); ++i) {
    const Row& row = request.rows[i];
    std::string suffix;
    if (f.table.HasHiddenRowId()) {
      storage::AppendKeyValue(&suffix, Value::Int8(given_ids ? request.row_ids[i] : next_row_id++));
    } else {
      store.CheckNotNull(row);
      suffix = store.PrimaryKeySuffix(row);
    }
    if (!store.Insert(row, suffix, f.on_conflict_do_nothing)) continue;
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
                                          const planner::EvalContext& ctx, const std::atomic<bool>* cancel) {
  // Collect first, then write: an update that moves a row forward in key
  // order must not meet it again.
  std::vector<ScannedRow> matches;
  ScanRows(f.table, f.scan, txn, ctx, cancel, [&](const std::string& suffix, Row row) {
    if (!f.filter || planner::EvaluatePredicate(*f.filter, row, ctx)) matches.push_back({suffix, std::move(row)});
    return true;
  });
  TableStore store(f.table, txn);
  planner::FragmentResult result;
  for (auto& m : matches) {
    if (!LockMatch(f, store, txn, ctx, &m)) continue;
    if (f.kind == FragmentKind::kDelete) {
      store.Delete(m.pk_suffix, m.row);
      AddReturning(f, m.row, ctx, &result);
    } else {
      Row updated = m.row;
      for (auto& s : f.set) updated[s.column] = planner::Evaluate(*s.value, m.row, ctx);
      store.Update(m.pk_suffix, m.row, updated);
      AddReturning(f, updated, ctx, &result);
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

planner::FragmentResult RunBuildIndex(const Fragment& f, storage::Transaction& txn) {
  const planner::TableLayout::Index& index = IndexOf(f);
  planner::FragmentResult result;
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
  std::string prefix = storage::KeyPrefix(f.table.table_id, f.scan.index_id);
  std::vector<std::string> keys;
  for (auto it = txn.Scan(prefix, storage::PrefixEnd(prefix)); it->Valid(); it->Next()) keys.emplace_back(it->Key());
  for (auto& key : keys) txn.Delete(key);
  planner::FragmentResult result;
  result.affected = static_cast<int64_t>(keys.size());
  return result;
}

}  // namespace

bool EncodeScanBound(const Fragment& f, const std::vector<planner::ExprRef>& values,
                     const planner::EvalContext& ctx, std::string* out) {
  return EncodeBound(f.table, f.scan, values, ctx, out);
}

planner::EvalContext FragmentEvalContext(const planner::FragmentRequest& request, const FragmentServices& services) {
  planner::EvalContext ctx;
  ctx.params = &request.params;
  ctx.subquery_rows = &request.subquery_rows;
  ctx.functions = services.functions;
  ctx.next_val = services.next_val;
  return ctx;
}

planner::FragmentResult RunFragment(const planner::FragmentRequest& request, storage::Transaction& txn,
                                    const FragmentServices& services) {
  planner::EvalContext ctx = FragmentEvalContext(request, services);
  const Fragment& f = *request.fragment;
  switch (f.kind) {
    case FragmentKind::kScan: return RunScan(f, txn, ctx, request.want_row_keys, services.cancel);
    case FragmentKind::kInsert: return RunInsert(request, txn, services, ctx);
    case FragmentKind::kUpdate:
    case FragmentKind::kDelete: return RunUpdateOrDelete(f, txn, ctx, services.cancel);
    case FragmentKind::kBuildIndex: return RunBuildIndex(f, txn);
    case FragmentKind::kDropIndex: return RunDropIndex(f, txn);
  }
  throw SqlError::Internal("unknown fragment kind");
}

}  // namespace tessera::executor
