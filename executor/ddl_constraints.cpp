// CHECK constraints in DDL (named as PostgreSQL names them, validated
// against existing rows when added by ALTER TABLE).
#include <algorithm>

#include "common/error.h"
#include "executor/ddl_executor.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::executor {

namespace {

// The first column an expression names, left to right (PostgreSQL names a
// table CHECK after its first column).
const planner::BoundExpr* FirstColumn(const planner::BoundExpr& e) {
  if (e.kind == planner::BoundExprKind::kColumn) return &e;
  for (const auto& arg : e.args)
    if (const planner::BoundExpr* found = FirstColumn(*arg)) return found;
  return nullptr;
}

planner::ExprRef Bind(const catalog::TableInfo& table, const std::string& sql) {
  static const catalog::CatalogSnapshot kNoCatalog;
  std::vector<Type> no_params;
  try {
    return planner::Binder(kNoCatalog, &no_params).BindCheck(table, sql);
  } catch (SqlError& err) {
    throw err.WithPosition(0);  // its position is in the check's text, not the statement's
  }
}

bool HasConstraintNamed(const catalog::TableInfo& table, const std::string& name) {
  for (const auto& check : table.checks)
    if (check.name == name) return true;
  for (const auto& fk : table.foreign_keys)
    if (fk.name == name) return true;
  return false;
}

}  // namespace

catalog::CheckInfo DdlExecutor::AddCheck(catalog::TableInfo& table, const std::string& name, const std::string& sql,
                                         const std::string& column) {
  planner::ExprRef bound = Bind(table, sql);
  catalog::CheckInfo check{name, sql};
  if (check.name.empty()) {
    std::string middle = column;
    if (middle.empty()) {
      if (const planner::BoundExpr* first = FirstColumn(*bound)) middle = table.columns[first->index].name;
    }
    std::string base = table.name + "_" + (middle.empty() ? "" : middle + "_") + "check";
    check.name = base;
    for (int n = 1; HasConstraintNamed(table, check.name); ++n) check.name = base + std::to_string(n);
  } else if (HasConstraintNamed(table, check.name)) {
    throw SqlError(sqlstate::kDuplicateObject,
                   "constraint \"" + check.name + "\" for relation \"" + table.name + "\" already exists");
  }
  // PostgreSQL tests a row's checks in name order, so the first failing one is reported.
  auto at = std::upper_bound(table.checks.begin(), table.checks.end(), check,
                             [](const catalog::CheckInfo& a, const catalog::CheckInfo& b) { return a.name < b.name; });
  table.checks.insert(at, check);
  return check;
}

void DdlExecutor::ValidateCheck(const catalog::TableInfo& table, const catalog::CheckInfo& check) {
  planner::ExprRef bound = Bind(table, check.sql);
  planner::EvalContext ctx;
  for (const Row& row : ReadAllRows(table)) {
    Value ok = planner::Evaluate(*bound, row, ctx);
    if (ok.IsNull() || ok.GetBool()) continue;
    throw SqlError(sqlstate::kCheckViolation, "check constraint \"" + check.name + "\" of relation \"" + table.name +
                                                  "\" is violated by some row")
        .WithTable(table.schema, table.name)
        .WithConstraint(check.name);
  }
}

void DdlExecutor::KeepChecksValid(catalog::TableInfo& table, const std::string& dropped_column,
                                  const std::string& renamed_column) {
  for (auto it = table.checks.begin(); it != table.checks.end();) {
    try {
      Bind(table, it->sql);
      ++it;
    } catch (const SqlError& e) {
      if (e.Sqlstate() != sqlstate::kUndefinedColumn) throw;
      // DROP COLUMN drops the constraints that use the column, as in PostgreSQL.
      if (!dropped_column.empty()) {
        it = table.checks.erase(it);
        continue;
      }
      // Checks are kept as SQL text, which a rename would leave naming the old column.
      throw SqlError(sqlstate::kFeatureNotSupported, "cannot rename column \"" + renamed_column +
                                                         "\": check constraint \"" + it->name + "\" uses it");
    }
  }
}

}  // namespace tessera::executor
