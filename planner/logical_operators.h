// The logical plan nodes, one small class each (see logical_operator.h).
#pragma once

#include "planner/bound_expr.h"
#include "planner/fragment.h"
#include "planner/logical_operator.h"

namespace tessera::planner {

// A base table read; the optimiser pushes predicates into it and the cutter
// turns it into a LogicalFragmentScan.
class LogicalGet final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kGet;
  // `lock`: SELECT ... FOR UPDATE locks the rows read, with this wait policy.
  LogicalGet(TableLayout table, std::string alias, ExprRef filter, std::optional<RowLockWait> lock = std::nullopt);
  const TableLayout& Table() const { return table_; }
  const std::string& Alias() const { return alias_; }
  const ExprRef& Filter() const { return filter_; }
  const std::optional<RowLockWait>& Lock() const { return lock_; }
  std::string Explain() const override;
  std::vector<std::string> ExplainDetails() const override;

 private:
  TableLayout table_;
  std::string alias_;
  ExprRef filter_;
  std::optional<RowLockWait> lock_;
};

class LogicalValues final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kValues;
  LogicalValues(std::vector<std::vector<ExprRef>> rows, std::vector<Type> types)
      : LogicalOperator(kKind, {}, std::move(types)), rows_(std::move(rows)) {}
  const std::vector<std::vector<ExprRef>>& Rows() const { return rows_; }
  std::string Explain() const override;

 private:
  std::vector<std::vector<ExprRef>> rows_;
};

// generate_series(start, stop [, step]), unnest(array) and
// generate_subscripts(array, dim [, reverse]) in FROM, over constants.
class LogicalTableFunction final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kTableFunction;
  LogicalTableFunction(std::string name, std::vector<ExprRef> args, Type type)
      : LogicalOperator(kKind, {}, {type}), name_(std::move(name)), args_(std::move(args)) {}
  const std::string& Name() const { return name_; }
  const std::vector<ExprRef>& Args() const { return args_; }
  std::string Explain() const override;

 private:
  std::string name_;
  std::vector<ExprRef> args_;
};

class LogicalFilter final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kFilter;
  LogicalFilter(LogicalRef child, ExprRef predicate);
  const ExprRef& Predicate() const { return predicate_; }
  std::string Explain() const override { return "Filter"; }
  std::vector<std::string> ExplainDetails() const override;

 private:
  ExprRef predicate_;
};

class LogicalProjection final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kProjection;
  LogicalProjection(LogicalRef child, std::vector<ExprRef> exprs);
  const std::vector<ExprRef>& Exprs() const { return exprs_; }
  std::string Explain() const override;

 private:
  std::vector<ExprRef> exprs_;
};

// Output: the group keys, then one column per aggregate.
class LogicalAggregate final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kAggregate;
  LogicalAggregate(LogicalRef child, std::vector<ExprRef> groups, std::vector<ExprRef> aggregates);
  const std::vector<ExprRef>& Groups() const { return groups_; }
  const std::vector<ExprRef>& Aggregates() const { return aggregates_; }
  std::string Explain() const override;
  std::vector<std::string> ExplainDetails() const override;

 private:
  std::vector<ExprRef> groups_;
  std::vector<ExprRef> aggregates_;
};

enum class JoinKind : uint8_t { kInner, kLeft, kRight, kFull, kCross };

// Output: the left row's columns then the right's. The condition is over that
// combined row; equi-conditions become hash keys in the executor.
class LogicalJoin final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kJoin;
  LogicalJoin(LogicalRef left, LogicalRef right, JoinKind join, ExprRef condition);
  JoinKind Join() const { return join_; }
  const ExprRef& Condition() const { return condition_; }
  std::string Explain() const override;
  std::vector<std::string> ExplainDetails() const override;

 private:
  JoinKind join_;
  ExprRef condition_;
};

class LogicalSort final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kSort;
  LogicalSort(LogicalRef child, std::vector<SortKey> keys);
  const std::vector<SortKey>& Keys() const { return keys_; }
  std::string Explain() const override { return "Sort"; }
  std::vector<std::string> ExplainDetails() const override;

 private:
  std::vector<SortKey> keys_;
};

// LIMIT and OFFSET are expressions over constants and parameters.
class LogicalLimit final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kLimit;
  LogicalLimit(LogicalRef child, ExprRef limit, ExprRef offset);
  const ExprRef& Limit() const { return limit_; }
  const ExprRef& Offset() const { return offset_; }
  std::string Explain() const override { return "Limit"; }

 private:
  ExprRef limit_;
  ExprRef offset_;
};

class LogicalDistinct final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kDistinct;
  explicit LogicalDistinct(LogicalRef child);
  std::string Explain() const override { return "HashAggregate (distinct)"; }
};

enum class SetOpType : uint8_t { kUnion, kIntersect, kExcept };

class LogicalSetOp final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kSetOp;
  LogicalSetOp(LogicalRef left, LogicalRef right, SetOpType op, bool all, std::vector<Type> types);
  SetOpType Op() const { return op_; }
  bool All() const { return all_; }
  std::string Explain() const override;

 private:
  SetOpType op_;
  bool all_;
};

// A cut-out fragment: the gateway sends it to the shard and reads its rows.
class LogicalFragmentScan final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kFragmentScan;
  LogicalFragmentScan(FragmentRef fragment, std::vector<Type> types, int number)
      : LogicalOperator(kKind, {}, std::move(types)), fragment_(std::move(fragment)), number_(number) {}
  const FragmentRef& GetFragment() const { return fragment_; }
  int Number() const { return number_; }
  std::string Explain() const override;

 private:
  FragmentRef fragment_;
  int number_;
};

// INSERT: the child produces complete table rows (defaults filled in, cast to
// the column types); the fragment checks and writes them.
class LogicalInsert final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kInsert;
  LogicalInsert(LogicalRef child, FragmentRef fragment, std::vector<Type> returning_types)
      : LogicalOperator(kKind, {std::move(child)}, std::move(returning_types)), fragment_(std::move(fragment)) {}
  const FragmentRef& GetFragment() const { return fragment_; }
  std::string Explain() const override;

 private:
  FragmentRef fragment_;
};

// UPDATE and DELETE run whole inside their fragment.
class LogicalWrite final : public LogicalOperator {
 public:
  LogicalWrite(LogicalKind kind, FragmentRef fragment, std::vector<Type> returning_types)
      : LogicalOperator(kind, {}, std::move(returning_types)), fragment_(std::move(fragment)) {}
  const FragmentRef& GetFragment() const { return fragment_; }
  std::string Explain() const override;

 private:
  FragmentRef fragment_;
};

}  // namespace tessera::planner
