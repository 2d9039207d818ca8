// INSERT, UPDATE, DELETE.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"
#include "tests/unit/parser/parse_one.h"

namespace tessera {
namespace {

using namespace ast;

TEST(ParseInsert, ValuesWithColumns) {
  auto s = ParseOne<InsertStmt>("INSERT INTO public.t (a, \"B\") VALUES (1, DEFAULT), ($1, 'x')", StmtKind::kInsert);
  EXPECT_EQ(s->table.schema, "public");
  EXPECT_EQ(s->table.name, "t");
  EXPECT_EQ(s->columns, (std::vector<std::string>{"a", "B"}));
  ASSERT_TRUE(s->source);
  ASSERT_EQ(s->source->values.size(), 2u);
  EXPECT_EQ(s->source->values[0][1]->kind, ExprKind::kDefault);
  EXPECT_EQ(s->source->values[1][0]->kind, ExprKind::kParam);
  EXPECT_FALSE(s->default_values);
}

TEST(ParseInsert, SelectDefaultValuesAliasConflictReturning) {
  auto s = ParseOne<InsertStmt>("INSERT INTO t SELECT * FROM u WHERE a > 1", StmtKind::kInsert);
  ASSERT_TRUE(s->source);
  EXPECT_EQ(s->source->from[0]->table.name, "u");
  s = ParseOne<InsertStmt>("INSERT INTO t DEFAULT VALUES", StmtKind::kInsert);
  EXPECT_TRUE(s->default_values);
  EXPECT_FALSE(s->source);
  s = ParseOne<InsertStmt>("INSERT INTO t AS x VALUES (1) ON CONFLICT DO NOTHING RETURNING x.a, *", StmtKind::kInsert);
  EXPECT_EQ(s->alias, "x");
  EXPECT_TRUE(s->on_conflict_do_nothing);
  ASSERT_EQ(s->returning.size(), 2u);
  EXPECT_EQ(ExprToString(*s->returning[0].expr), "x.a");
  s = ParseOne<InsertStmt>("INSERT INTO t VALUES (1) ON CONFLICT (a) DO NOTHING", StmtKind::kInsert);
  EXPECT_TRUE(s->on_conflict_do_nothing);
  s = ParseOne<InsertStmt>("INSERT INTO t (SELECT 1)", StmtKind::kInsert);
  EXPECT_TRUE(s->columns.empty());
}

TEST(ParseInsert, OnConflictDoUpdate) {
  auto s = ParseOne<InsertStmt>(
      "INSERT INTO t VALUES (1) ON CONFLICT (a, b) DO UPDATE SET b = excluded.b + 1, c = DEFAULT WHERE t.c > 0",
      StmtKind::kInsert);
  EXPECT_TRUE(s->on_conflict_do_update);
  EXPECT_FALSE(s->on_conflict_do_nothing);
  EXPECT_EQ(s->conflict_columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s->conflict_set.size(), 2u);
  EXPECT_EQ(s->conflict_set[0].column, "b");
  EXPECT_EQ(ExprToString(*s->conflict_set[0].value), "(excluded.b + 1)");
  ASSERT_NE(s->conflict_where, nullptr);
  s = ParseOne<InsertStmt>("INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING", StmtKind::kInsert);
  EXPECT_EQ(s->conflict_constraint, "t_pkey");
  EXPECT_TRUE(s->on_conflict_do_nothing);
}

TEST(ParseUpdate, PgbenchStatement) {
  auto s = ParseOne<UpdateStmt>("UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
                                StmtKind::kUpdate);
  EXPECT_EQ(s->table.name, "pgbench_accounts");
  ASSERT_EQ(s->set.size(), 1u);
  EXPECT_EQ(s->set[0].column, "abalance");
  EXPECT_EQ(ExprToString(*s->set[0].value), "(abalance + $1)");
  EXPECT_EQ(ExprToString(*s->where), "(aid = $2)");
}

TEST(ParseUpdate, AliasMultiSetFromReturning) {
  auto s = ParseOne<UpdateStmt>("UPDATE t AS x SET a = DEFAULT, (b, c) = (1, 2) FROM u WHERE x.id = u.id RETURNING a",
                                StmtKind::kUpdate);
  EXPECT_EQ(s->alias, "x");
  ASSERT_EQ(s->set.size(), 3u);
  EXPECT_EQ(s->set[0].value->kind, ExprKind::kDefault);
  EXPECT_EQ(s->set[1].column, "b");
  EXPECT_EQ(s->set[2].column, "c");
  EXPECT_EQ(s->set[2].value->text, "2");
  EXPECT_EQ(s->from.size(), 1u);
  EXPECT_EQ(s->returning.size(), 1u);
  s = ParseOne<UpdateStmt>("UPDATE t y SET a = 1", StmtKind::kUpdate);
  EXPECT_EQ(s->alias, "y");
  s = ParseOne<UpdateStmt>("UPDATE t SET key = 1", StmtKind::kUpdate);
  EXPECT_EQ(s->alias, "");
  EXPECT_EQ(s->set[0].column, "key");
}

TEST(ParseDelete, Forms) {
  auto s = ParseOne<DeleteStmt>("DELETE FROM t WHERE a = 1", StmtKind::kDelete);
  EXPECT_EQ(s->table.name, "t");
  ASSERT_TRUE(s->where);
  s = ParseOne<DeleteStmt>("DELETE FROM t AS x USING u, v WHERE x.a = u.a RETURNING *", StmtKind::kDelete);
  EXPECT_EQ(s->alias, "x");
  EXPECT_EQ(s->using_tables.size(), 2u);
  EXPECT_EQ(s->returning.size(), 1u);
  s = ParseOne<DeleteStmt>("DELETE FROM t", StmtKind::kDelete);
  EXPECT_FALSE(s->where);
}

}  // namespace
}  // namespace tessera
