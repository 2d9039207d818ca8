// SELECT: targets, FROM and joins, clauses, set operations, VALUES.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"

namespace tessera {
namespace {

using namespace ast;

std::unique_ptr<SelectStmt> ParseSelect(std::string_view sql) {
  auto stmts = ParseSql(sql);
  EXPECT_EQ(stmts.size(), 1u);
  EXPECT_EQ(stmts[0]->kind, StmtKind::kSelect);
  return std::unique_ptr<SelectStmt>(static_cast<SelectStmt*>(stmts[0].release()));
}

TEST(ParseSelect, TargetsWithAliases) {
  auto s = ParseSelect("SELECT a, b AS x, c y, 1 + 2 \"Z\", t.*, * FROM t");
  ASSERT_EQ(s->targets.size(), 6u);
  EXPECT_EQ(ExprToString(*s->targets[0].expr), "a");
  EXPECT_EQ(s->targets[1].alias, "x");
  EXPECT_EQ(s->targets[2].alias, "y");
  EXPECT_EQ(s->targets[3].alias, "Z");
  EXPECT_EQ(s->targets[4].expr->names, (std::vector<std::string>{"t", "*"}));
  EXPECT_EQ(s->targets[5].expr->names, (std::vector<std::string>{"*"}));
  ASSERT_EQ(s->from.size(), 1u);
  EXPECT_EQ(s->from[0]->table.name, "t");
}

TEST(ParseSelect, KeywordsAsColumnNames) {
  auto s = ParseSelect("SELECT key, value, name, text, date, data, action FROM kv AS key WHERE key = 1");
  ASSERT_EQ(s->targets.size(), 7u);
  EXPECT_EQ(s->targets[0].expr->names[0], "key");
  EXPECT_EQ(s->targets[6].expr->names[0], "action");
  EXPECT_EQ(s->from[0]->alias, "key");
  EXPECT_EQ(ExprToString(*s->where), "(key = 1)");
}

TEST(ParseSelect, AsAllowsReservedLabel) {
  auto s = ParseSelect("SELECT 1 AS from, 2 AS select");
  EXPECT_EQ(s->targets[0].alias, "from");
  EXPECT_EQ(s->targets[1].alias, "select");
}

TEST(ParseSelect, DistinctAndDistinctOn) {
  EXPECT_TRUE(ParseSelect("SELECT DISTINCT a FROM t")->distinct);
  auto s = ParseSelect("SELECT DISTINCT ON (a, b) a, c FROM t ORDER BY a");
  EXPECT_TRUE(s->distinct);
  EXPECT_EQ(s->distinct_on.size(), 2u);
  EXPECT_FALSE(ParseSelect("SELECT ALL a FROM t")->distinct);
}

TEST(ParseSelect, Clauses) {
  auto s = ParseSelect(
      "SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2 "
      "ORDER BY a DESC NULLS FIRST, 2 ASC, c NULLS LAST LIMIT 10 OFFSET 5");
  ASSERT_TRUE(s->where);
  EXPECT_EQ(s->group_by.size(), 1u);
  ASSERT_TRUE(s->having);
  ASSERT_EQ(s->order_by.size(), 3u);
  EXPECT_TRUE(s->order_by[0].descending);
  EXPECT_EQ(s->order_by[0].nulls_first, std::optional<bool>(true));
  EXPECT_FALSE(s->order_by[1].descending);
  EXPECT_FALSE(s->order_by[1].nulls_first.has_value());
  EXPECT_EQ(s->order_by[2].nulls_first, std::optional<bool>(false));
  EXPECT_EQ(s->limit->text, "10");
  EXPECT_EQ(s->offset->text, "5");
}

TEST(ParseSelect, LimitAllOffsetRowsFetchFirst) {
  auto s = ParseSelect("SELECT a FROM t LIMIT ALL OFFSET 3 ROWS");
  EXPECT_FALSE(s->limit);
  EXPECT_EQ(s->offset->text, "3");
  s = ParseSelect("SELECT a FROM t OFFSET 2 ROW FETCH FIRST 4 ROWS ONLY");
  EXPECT_EQ(s->limit->text, "4");
  EXPECT_EQ(s->offset->text, "2");
  s = ParseSelect("SELECT a FROM t FETCH NEXT ROW ONLY");
  EXPECT_EQ(s->limit->text, "1");
}

TEST(ParseSelect, Joins) {
  auto s = ParseSelect(
      "SELECT * FROM a JOIN b ON a.id = b.id LEFT OUTER JOIN c USING (id) "
      "RIGHT JOIN d ON true FULL JOIN e ON false CROSS JOIN f NATURAL JOIN g INNER JOIN h ON 1=1");
  ASSERT_EQ(s->from.size(), 1u);
  const TableRef* r = s->from[0].get();
  std::vector<JoinType> types;
  std::vector<bool> natural;
  while (r->kind == TableRefKind::kJoin) {
    types.insert(types.begin(), r->join_type);
    natural.insert(natural.begin(), r->natural);
    r = r->left.get();
  }
  EXPECT_EQ(r->table.name, "a");
  EXPECT_EQ(types, (std::vector<JoinType>{JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull,
                                          JoinType::kCross, JoinType::kInner, JoinType::kInner}));
  EXPECT_EQ(natural, (std::vector<bool>{false, false, false, false, false, true, false}));
  // The second join (LEFT ... USING) sits two levels below the top.
  const TableRef* left_join = s->from[0]->left->left->left->left->left.get();
  EXPECT_EQ(left_join->join_type, JoinType::kLeft);
  EXPECT_EQ(left_join->using_columns, (std::vector<std::string>{"id"}));
  EXPECT_TRUE(left_join->left->join_condition);
}

TEST(ParseSelect, CommaFromSubqueryAndFunction) {
  auto s = ParseSelect("SELECT * FROM a x, (SELECT 1) AS sub(c), generate_series(1, 10) g(n), s.t");
  ASSERT_EQ(s->from.size(), 4u);
  EXPECT_EQ(s->from[0]->alias, "x");
  EXPECT_EQ(s->from[1]->kind, TableRefKind::kSubquery);
  EXPECT_EQ(s->from[1]->alias, "sub");
  EXPECT_EQ(s->from[1]->column_aliases, (std::vector<std::string>{"c"}));
  EXPECT_EQ(s->from[2]->kind, TableRefKind::kFunction);
  EXPECT_EQ(s->from[2]->function->func_name, "generate_series");
  EXPECT_EQ(s->from[2]->function->args.size(), 2u);
  EXPECT_EQ(s->from[2]->column_aliases, (std::vector<std::string>{"n"}));
  EXPECT_EQ(s->from[3]->table.schema, "s");
  EXPECT_EQ(s->from[3]->table.name, "t");
}

TEST(ParseSelect, ParenthesisedJoin) {
  auto s = ParseSelect("SELECT * FROM (a JOIN b ON true) LEFT JOIN c ON true");
  EXPECT_EQ(s->from[0]->kind, TableRefKind::kJoin);
  EXPECT_EQ(s->from[0]->left->kind, TableRefKind::kJoin);
}

TEST(ParseSelect, SetOperationsPrecedence) {
  // INTERSECT binds tighter: a UNION (b INTERSECT c).
  auto s = ParseSelect("SELECT 1 UNION SELECT 2 INTERSECT SELECT 3");
  EXPECT_EQ(s->set_op, SetOpKind::kUnion);
  EXPECT_FALSE(s->set_all);
  EXPECT_EQ(s->set_right->set_op, SetOpKind::kIntersect);
  // Left-associative UNION/EXCEPT.
  s = ParseSelect("SELECT 1 UNION ALL SELECT 2 EXCEPT SELECT 3 ORDER BY 1 LIMIT 2");
  EXPECT_EQ(s->set_op, SetOpKind::kExcept);
  EXPECT_EQ(s->set_left->set_op, SetOpKind::kUnion);
  EXPECT_TRUE(s->set_left->set_all);
  EXPECT_EQ(s->order_by.size(), 1u);
  EXPECT_TRUE(s->limit);
}

TEST(ParseSelect, ParenthesisedSetOperands) {
  auto s = ParseSelect("(SELECT 1 UNION SELECT 2) INTERSECT (SELECT 2)");
  EXPECT_EQ(s->set_op, SetOpKind::kIntersect);
  EXPECT_EQ(s->set_left->set_op, SetOpKind::kUnion);
  s = ParseSelect("(SELECT a FROM t ORDER BY a LIMIT 1)");
  EXPECT_EQ(s->order_by.size(), 1u);
  EXPECT_TRUE(s->limit);
}

TEST(ParseSelect, ValuesAsQuery) {
  auto s = ParseSelect("VALUES (1, 'a'), (2, 'b')");
  ASSERT_EQ(s->values.size(), 2u);
  EXPECT_EQ(s->values[1][1]->text, "b");
  EXPECT_TRUE(s->targets.empty());
}

TEST(ParseSelect, SelectWithoutFrom) {
  auto s = ParseSelect("select 1");
  EXPECT_TRUE(s->from.empty());
  EXPECT_EQ(s->targets[0].expr->text, "1");
}

}  // namespace
}  // namespace tessera
