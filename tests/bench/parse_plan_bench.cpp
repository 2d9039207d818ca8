// Parse + bind + plan cost of pgbench's UPDATE (goal: under 30 µs) and of a
// 10-way join, against pgbench's schema in a hand-built catalog snapshot.
#include <benchmark/benchmark.h>

#include "catalog/catalog.h"
#include "parser/parser.h"
#include "planner/planner.h"

namespace {

using namespace tessera;

catalog::TableInfo Table(uint32_t id, const std::string& name, std::vector<std::string> columns, bool pk = true) {
  catalog::TableInfo t;
  t.id = id;
  t.name = name;
  for (auto& c : columns) t.columns.push_back({c, Type::Of(TypeId::kInt4), false, "", false});
  if (pk) {
    t.primary_key = {0};
    t.primary_key_name = name + "_pkey";
  }
  return t;
}

const catalog::CatalogSnapshot& Catalog() {
  static catalog::CatalogSnapshot snap = [] {
    catalog::CatalogSnapshot s;
    s.version_ = 1;
    s.tables_[16384] = Table(16384, "pgbench_accounts", {"aid", "bid", "abalance"});
    s.tables_[16384].columns.push_back({"filler", Type::Bpchar(84), false, "", false});
    s.tables_[16385] = Table(16385, "pgbench_branches", {"bid", "bbalance"});
    s.tables_[16386] = Table(16386, "pgbench_tellers", {"tid", "bid", "tbalance"});
    s.tables_[16387] = Table(16387, "pgbench_history", {"tid", "bid", "aid", "delta"}, false);
    for (uint32_t i = 0; i < 10; ++i)
      s.tables_[17000 + i] = Table(17000 + i, "j" + std::to_string(i), {"id", "next_id", "v"});
    return s;
  }();
  return snap;
}

void PlanOnce(benchmark::State& state, const std::string& sql) {
  const auto& snap = Catalog();
  for (auto _ : state) {
    auto stmts = ParseSql(sql);
    auto plan = planner::PlanQuery(*stmts[0], snap, {});
    benchmark::DoNotOptimize(plan.plan);
  }
}

void BM_PgbenchUpdate(benchmark::State& state) {
  PlanOnce(state, "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2");
}
BENCHMARK(BM_PgbenchUpdate)->Unit(benchmark::kMicrosecond);

void BM_PgbenchSelect(benchmark::State& state) {
  PlanOnce(state, "SELECT abalance FROM pgbench_accounts WHERE aid = $1");
}
BENCHMARK(BM_PgbenchSelect)->Unit(benchmark::kMicrosecond);

void BM_TenWayJoin(benchmark::State& state) {
  std::string sql = "SELECT j0.v, j9.v FROM j0";
  for (int i = 1; i < 10; ++i)
    sql += " JOIN j" + std::to_string(i) + " ON j" + std::to_string(i - 1) + ".next_id = j" + std::to_string(i) + ".id";
  sql += " WHERE j0.id = 1";
  PlanOnce(state, sql);
}
BENCHMARK(BM_TenWayJoin)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
