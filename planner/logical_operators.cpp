// Constructors (which derive output types) and EXPLAIN lines of the logical nodes.
#include "planner/logical_operators.h"

namespace tessera::planner {

namespace {

std::vector<Type> ExprTypes(const std::vector<ExprRef>& exprs) {
  std::vector<Type> types;
  types.reserve(exprs.size());
  for (auto& e : exprs) types.push_back(e->type);
  return types;
}

std::vector<Type> Concat(std::vector<Type> a, const std::vector<Type>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::string JoinTexts(const std::vector<ExprRef>& exprs) {
  std::string out;
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i) out += ", ";
    out += ExprToText(*exprs[i]);
  }
  return out;
}

}  // namespace

std::string SortKeysText(const std::vector<SortKey>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += ExprToText(*keys[i].expr);
    if (keys[i].descending) out += " DESC";
    if (keys[i].nulls_first != keys[i].descending) out += keys[i].nulls_first ? " NULLS FIRST" : " NULLS LAST";
  }
  return out;
}

LogicalGet::LogicalGet(TableLayout table, std::string alias, ExprRef filter, std::optional<RowLockWait> lock)
    : LogicalOperator(kKind, {}, table.column_types),
      table_(std::move(table)),
      alias_(std::move(alias)),
      filter_(std::move(filter)),
      lock_(lock) {}

std::string LogicalGet::Explain() const {
  std::string out = "Scan on " + table_.table_name;
  if (alias_ != table_.table_name) out += " " + alias_;
  return out;
}

std::vector<std::string> LogicalGet::ExplainDetails() const {
  if (!filter_) return {};
  return {"Filter: " + ExprToText(*filter_)};
}

std::string LogicalValues::Explain() const { return "Values Scan (rows: " + std::to_string(rows_.size()) + ")"; }

std::string LogicalTableFunction::Explain() const { return "Function Scan on " + name_; }

LogicalFilter::LogicalFilter(LogicalRef child, ExprRef predicate)
    : LogicalOperator(kKind, {child}, child->Types()), predicate_(std::move(predicate)) {}

std::vector<std::string> LogicalFilter::ExplainDetails() const { return {"Filter: " + ExprToText(*predicate_)}; }

LogicalProjection::LogicalProjection(LogicalRef child, std::vector<ExprRef> exprs)
    : LogicalOperator(kKind, {std::move(child)}, ExprTypes(exprs)), exprs_(std::move(exprs)) {}

std::string LogicalProjection::Explain() const { return "Project (" + JoinTexts(exprs_) + ")"; }

LogicalAggregate::LogicalAggregate(LogicalRef child, std::vector<ExprRef> groups, std::vector<ExprRef> aggregates)
    : LogicalOperator(kKind, {std::move(child)}, Concat(ExprTypes(groups), ExprTypes(aggregates))),
      groups_(std::move(groups)),
      aggregates_(std::move(aggregates)) {}

std::string LogicalAggregate::Explain() const {
  return (groups_.empty() ? "Aggregate (" : "HashAggregate (") + JoinTexts(aggregates_) + ")";
}

std::vector<std::string> LogicalAggregate::ExplainDetails() const {
  if (groups_.empty()) return {};
  return {"Group Key: " + JoinTexts(groups_)};
}

LogicalJoin::LogicalJoin(LogicalRef left, LogicalRef right, JoinKind join, ExprRef condition)
    : LogicalOperator(kKind, {left, right}, Concat(left->Types(), right->Types())),
      join_(join),
      condition_(std::move(condition)) {}

std::string LogicalJoin::Explain() const {
  static const char* kNames[] = {"Inner", "Left", "Right", "Full", "Cross"};
  if (join_ == JoinKind::kCross || !condition_) return "Nested Loop";
  return std::string("Hash Join (") + kNames[static_cast<int>(join_)] + ")";
}

std::vector<std::string> LogicalJoin::ExplainDetails() const {
  if (!condition_) return {};
  return {"Join Filter: " + ExprToText(*condition_)};
}

LogicalSort::LogicalSort(LogicalRef child, std::vector<SortKey> keys)
    : LogicalOperator(kKind, {child}, child->Types()), keys_(std::move(keys)) {}

std::vector<std::string> LogicalSort::ExplainDetails() const { return {"Sort Key: " + SortKeysText(keys_)}; }

LogicalLimit::LogicalLimit(LogicalRef child, ExprRef limit, ExprRef offset)
    : LogicalOperator(kKind, {child}, child->Types()), limit_(std::move(limit)), offset_(std::move(offset)) {}

LogicalDistinct::LogicalDistinct(LogicalRef child) : LogicalOperator(kKind, {child}, child->Types()) {}

LogicalSetOp::LogicalSetOp(LogicalRef left, LogicalRef right, SetOpType op, bool all, std::vector<Type> types)
    : LogicalOperator(kKind, {std::move(left), std::move(right)}, std::move(types)), op_(op), all_(all) {}

std::string LogicalSetOp::Explain() const {
  static const char* kNames[] = {"Union", "Intersect", "Except"};
  return std::string(kNames[static_cast<int>(op_)]) + (all_ ? " All" : "");
}

std::string LogicalFragmentScan::Explain() const {
  return "Fragment " + std::to_string(number_) + "";
}

std::string LogicalInsert::Explain() const { return "Insert on " + fragment_->table.table_name; }

std::string LogicalWrite::Explain() const {
  return (Kind() == LogicalKind::kUpdate ? "Update on " : "Delete on ") + fragment_->table.table_name;
}

}  // namespace tessera::planner
