// A hand-built catalog snapshot with pgbench's tables for planner tests.
#pragma once

#include "catalog/catalog.h"
#include "planner/planner.h"

namespace tessera::testing {

inline catalog::TableInfo MakeTable(uint32_t id, const std::string& name,
                                    std::vector<std::pair<std::string, Type>> columns, std::vector<int> pk) {
  catalog::TableInfo t;
  t.id = id;
  t.name = name;
  for (auto& [n, type] : columns) t.columns.push_back({n, type, false, "", false});
  t.primary_key = std::move(pk);
  if (!t.primary_key.empty()) t.primary_key_name = name + "_pkey";
  return t;
}

inline catalog::CatalogSnapshot PgbenchCatalog() {
  catalog::CatalogSnapshot snap;
  snap.version_ = 1;
  Type i4 = Type::Of(TypeId::kInt4);
  snap.tables_[16384] = MakeTable(16384, "pgbench_accounts",
                                  {{"aid", i4}, {"bid", i4}, {"abalance", i4}, {"filler", Type::Bpchar(84)}}, {0});
  snap.tables_[16385] = MakeTable(16385, "pgbench_branches",
                                  {{"bid", i4}, {"bbalance", i4}, {"filler", Type::Bpchar(88)}}, {0});
  snap.tables_[16386] = MakeTable(16386, "pgbench_tellers",
                                  {{"tid", i4}, {"bid", i4}, {"tbalance", i4}, {"filler", Type::Bpchar(84)}}, {0});
  snap.tables_[16387] = MakeTable(16387, "pgbench_history",
                                  {{"tid", i4}, {"bid", i4}, {"aid", i4}, {"delta", i4},
                                   {"mtime", Type::Of(TypeId::kTimestamp)}, {"filler", Type::Bpchar(22)}},
                                  {});
  catalog::TableInfo t = MakeTable(16388, "t", {{"a", i4}, {"b", Type::Of(TypeId::kText)}, {"c", i4}}, {0});
  catalog::IndexInfo idx;
  idx.id = 7;
  idx.name = "t_c_idx";
  idx.columns = {2};
  idx.descending = {false};
  t.indexes.push_back(idx);
  snap.tables_[16388] = t;
  return snap;
}

inline planner::PlannedQuery PlanSql(const catalog::CatalogSnapshot& snap, const std::string& sql,
                                     std::vector<Type> params = {}) {
  auto stmts = ParseSql(sql);
  return planner::PlanQuery(*stmts.at(0), snap, std::move(params));
}

inline std::string ExplainText(const planner::PlannedQuery& q) {
  std::string out;
  for (auto& line : planner::ExplainPlan(*q.plan)) out += line + "\n";
  return out;
}

}  // namespace tessera::testing
