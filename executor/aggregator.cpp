// Hash aggregation state (executor/aggregator.h). Sums run in the result type (int8 for int2/int4,
// numeric for int8/numeric), as PostgreSQL's sum(), so they cannot overflow
// where PostgreSQL's would not; avg keeps a numeric or float8 sum and a count.
#include "executor/aggregator.h"

#include "common/error.h"
#include "common/value_ops.h"

namespace tessera::executor {

namespace {

using planner::AggKind;

Type SumType(const planner::BoundExpr& agg) {
  auto kind = static_cast<AggKind>(agg.op);
  if (kind == AggKind::kAvg) {
    TypeId in = agg.args[0]->type.id;
    return Type::Of(in == TypeId::kFloat4 || in == TypeId::kFloat8 ? TypeId::kFloat8 : TypeId::kNumeric);
  }
  return agg.type;
}

}  // namespace

void HashAggregator::Accumulate(std::vector<AggState>& states, const Row& row) {
  const auto& aggs = aggregates_;
  for (size_t i = 0; i < aggs.size(); ++i) {
    const planner::BoundExpr& agg = *aggs[i];
    AggState& s = states[i];
    auto kind = static_cast<AggKind>(agg.op);
    if (kind == AggKind::kCountStar) {
      ++s.count;
      continue;
    }
    Value v = planner::Evaluate(*agg.args[0], row, ctx_);
    if (v.IsNull() && kind != AggKind::kArrayAgg) continue;  // array_agg keeps NULLs
    if (kind == AggKind::kStringAgg) {
      // The delimiter is read per row and goes before every value but the
      // first; the pieces are joined once, at the end.
      Value delimiter = planner::Evaluate(*agg.args[1], row, ctx_);
      if (s.count != 0 && !delimiter.IsNull()) s.items.push_back(std::move(delimiter));
      charge_.Add(EstimateValueBytes(v));
      s.items.push_back(std::move(v));
      ++s.count;
      continue;
    }
    if (agg.distinct) {
      if (!s.seen) s.seen = std::make_unique<RowMap<bool>>();
      if (!s.seen->emplace(std::vector<Value>{NormaliseKey(v)}, true).second) continue;
      charge_.Add(EstimateValueBytes(v) + static_cast<int64_t>(sizeof(std::vector<Value>)) + kHashEntryOverhead);
    }
    FoldAggregate(agg, s, std::move(v));
  }
}

void FoldAggregate(const planner::BoundExpr& agg, AggState& s, Value v) {
  auto kind = static_cast<AggKind>(agg.op);
  ++s.count;
  switch (kind) {
    case AggKind::kSum:
    case AggKind::kAvg: {
      Type t = SumType(agg);
      // sum(int2/int4) in int8: added here, without the generic cast and
      // arithmetic, unless it overflows (Arith then raises PostgreSQL's error).
      if (t.id == TypeId::kInt8 && IsIntegerType(v.Id())) {
        int64_t total;
        if (s.value.IsNull()) {
          s.value = Value::Int8(v.GetInt());
          break;
        }
        if (!__builtin_add_overflow(s.value.GetInt(), v.GetInt(), &total)) {
          s.value = Value::Int8(total);
          break;
        }
      }
      if (v.GetType().id != t.id) v = v.CastTo(t);
      s.value = s.value.IsNull() ? v : Arith(ArithOp::kAdd, s.value, v);
      break;
    }
    case AggKind::kMin:
      if (s.value.IsNull() || v.Compare(s.value) < 0) s.value = v;
      break;
    case AggKind::kMax:
      if (s.value.IsNull() || v.Compare(s.value) > 0) s.value = v;
      break;
    case AggKind::kArrayAgg:
      s.items.push_back(std::move(v));
      break;
    case AggKind::kBoolAnd:
    case AggKind::kEvery:
      if (s.value.IsNull() || !v.GetBool()) s.value = std::move(v);
      break;
    case AggKind::kBoolOr:
      if (s.value.IsNull() || v.GetBool()) s.value = std::move(v);
      break;
    default: break;
  }
}

Value AggregateResult(const planner::BoundExpr& agg, const AggState& s) {
  switch (static_cast<AggKind>(agg.op)) {
    case AggKind::kCountStar:
    case AggKind::kCount: return Value::Int8(s.count);
    case AggKind::kArrayAgg: return s.count == 0 ? Value::Null(agg.type) : Value::Array(agg.type, s.items);
    case AggKind::kStringAgg: {
      if (s.count == 0) return Value::Null(agg.type);
      std::string out;
      for (const Value& piece : s.items) out += piece.GetString();
      return Value::Text(std::move(out));
    }
    case AggKind::kAvg: {
      if (s.count == 0) return Value::Null(agg.type);
      if (agg.type.id == TypeId::kFloat8) return Value::Float8(s.value.GetFloat() / static_cast<double>(s.count));
      return Value::Num(s.value.GetNumeric().Div(Numeric::FromInt(s.count)));
    }
    default:
      if (s.value.IsNull()) return Value::Null(agg.type);
      if (s.value.GetType().id != agg.type.id) return s.value.CastTo(agg.type);
      return s.value;
  }
}

void HashAggregator::Add(const Row& row) {
  // Without GROUP BY there is one group: once the first row made it, no key
  // to build or look up.
  if (groups_.empty() && !states_.empty()) {
    Accumulate(states_[0], row);
    return;
  }
  std::vector<Value> key;
  key.reserve(groups_.size());
  for (auto& g : groups_) key.push_back(planner::Evaluate(*g, row, ctx_));
  auto [it, inserted] = index_.emplace(key, states_.size());
  if (inserted) {
    // The key is held twice (the index and keys_), then the states.
    charge_.Add(2 * EstimateRowBytes(key) + kHashEntryOverhead + static_cast<int64_t>(sizeof(std::vector<AggState>)) +
                static_cast<int64_t>(aggregates_.size() * sizeof(AggState)));
    keys_.push_back(std::move(key));
    states_.emplace_back(aggregates_.size());
  }
  Accumulate(states_[it->second], row);
}

std::vector<Row> HashAggregator::Finish() {
  // An aggregate without GROUP BY returns one row even over no input.
  if (groups_.empty() && states_.empty()) {
    keys_.emplace_back();
    states_.emplace_back(aggregates_.size());
  }
  // Built in a member: if a cancel stops this half way, the rows go with
  // the aggregator (freed in the background when big), not with the unwinding.
  std::vector<Row>& rows = finished_;
  rows.reserve(states_.size());
  for (size_t g = 0; g < states_.size(); ++g) {
    if (poll_) poll_->Tick();
    Row row = std::move(keys_[g]);
    for (size_t i = 0; i < aggregates_.size(); ++i) row.push_back(AggregateResult(*aggregates_[i], states_[g][i]));
    rows.push_back(std::move(row));
  }
  return std::move(rows);
}

}  // namespace tessera::executor
