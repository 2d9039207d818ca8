// Expressions: PostgreSQL precedence, predicates, special forms, casts.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"

namespace tessera {
namespace {

using namespace ast;

std::string Expr(std::string_view sql) { return ExprToString(*ParseExpression(sql)); }

TEST(ParseExpr, ArithmeticPrecedence) {
  EXPECT_EQ(Expr("1 + 2 * 3"), "(1 + (2 * 3))");
  EXPECT_EQ(Expr("1 - 2 - 3"), "((1 - 2) - 3)");
  EXPECT_EQ(Expr("a * b / c % d"), "(((a * b) / c) % d)");
  EXPECT_EQ(Expr("2 ^ 3 ^ 2"), "((2 ^ 3) ^ 2)");  // left-associative, as in PostgreSQL
  EXPECT_EQ(Expr("a * b ^ c"), "(a * (b ^ c))");
  EXPECT_EQ(Expr("(1 + 2) * 3"), "((1 + 2) * 3)");
}

TEST(ParseExpr, UnaryMinusBindsTighterThanPower) {
  // PostgreSQL: -2^2 = 4.
  EXPECT_EQ(Expr("-2 ^ 2"), "(-2 ^ 2)");
  EXPECT_EQ(Expr("- a ^ 2"), "((- a) ^ 2)");
  EXPECT_EQ(Expr("-a::int"), "(- a::int)");
}

TEST(ParseExpr, NegativeLiteralsAreFolded) {
  auto e = ParseExpression("-2147483648");
  EXPECT_EQ(e->kind, ExprKind::kConstant);
  EXPECT_EQ(e->constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(e->text, "-2147483648");
  EXPECT_EQ(ParseExpression("-1.5e3")->text, "-1.5e3");
  EXPECT_EQ(ParseExpression("- - 1")->kind, ExprKind::kUnary);
}

TEST(ParseExpr, LogicalPrecedence) {
  EXPECT_EQ(Expr("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(Expr("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(Expr("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(Expr("a = 1 OR b < 2 AND NOT c >= 3"), "((a = 1) OR ((b < 2) AND (NOT (c >= 3))))");
}

TEST(ParseExpr, ComparisonOperators) {
  EXPECT_EQ(Expr("a != b"), "(a <> b)");
  EXPECT_EQ(Expr("a <> b"), "(a <> b)");
  EXPECT_EQ(Expr("a <= b"), "(a <= b)");
  EXPECT_EQ(Expr("a >= b"), "(a >= b)");
  EXPECT_EQ(Expr("a || b || c = d"), "(((a || b) || c) = d)");
  EXPECT_EQ(Expr("a + 1 > b || 'x'"), "((a + 1) > (b || 'x'))");
}

TEST(ParseExpr, IsForms) {
  EXPECT_EQ(Expr("a IS NULL"), "(a IS NULL)");
  EXPECT_EQ(Expr("a IS NOT NULL"), "(a IS NOT NULL)");
  EXPECT_EQ(Expr("a ISNULL"), "(a IS NULL)");
  EXPECT_EQ(Expr("a NOTNULL"), "(a IS NOT NULL)");
  EXPECT_EQ(Expr("a IS TRUE"), "(a IS TRUE)");
  EXPECT_EQ(Expr("a IS NOT FALSE"), "(a IS NOT FALSE)");
  EXPECT_EQ(Expr("a IS UNKNOWN"), "(a IS UNKNOWN)");
  EXPECT_EQ(Expr("a IS DISTINCT FROM b"), "(a IS DISTINCT FROM b)");
  EXPECT_EQ(Expr("a IS NOT DISTINCT FROM b + 1"), "(a IS NOT DISTINCT FROM (b + 1))");
  // IS binds looser than comparison.
  EXPECT_EQ(Expr("a = b IS NULL"), "((a = b) IS NULL)");
  auto e = ParseExpression("x IS NOT TRUE");
  EXPECT_EQ(e->kind, ExprKind::kBoolTest);
  EXPECT_TRUE(e->negated);
  EXPECT_EQ(e->bool_test, "true");
}

TEST(ParseExpr, BetweenInLike) {
  EXPECT_EQ(Expr("a BETWEEN 1 AND 2 AND b"), "((a BETWEEN 1 AND 2) AND b)");
  EXPECT_EQ(Expr("a NOT BETWEEN SYMMETRIC 1 + 1 AND 2"), "(a NOT BETWEEN SYMMETRIC (1 + 1) AND 2)");
  EXPECT_EQ(Expr("a IN (1, 2, 3)"), "(a IN (1, 2, 3))");
  EXPECT_EQ(Expr("a NOT IN (1)"), "(a NOT IN (1))");
  EXPECT_EQ(Expr("a LIKE 'x%'"), "(a LIKE 'x%')");
  EXPECT_EQ(Expr("a NOT ILIKE 'x%'"), "(a NOT ILIKE 'x%')");
  EXPECT_EQ(Expr("a LIKE 'x!%' ESCAPE '!'"), "(a LIKE like_escape('x!%', '!'))");
  auto in = ParseExpression("a IN (SELECT b FROM t)");
  EXPECT_EQ(in->kind, ExprKind::kInSubquery);
  ASSERT_TRUE(in->subquery);
  EXPECT_EQ(in->subquery->from[0]->table.name, "t");
  auto not_in = ParseExpression("a NOT IN (SELECT 1)");
  EXPECT_TRUE(not_in->negated);
}

TEST(ParseExpr, SubqueriesAndExists) {
  auto e = ParseExpression("EXISTS (SELECT 1 FROM t)");
  EXPECT_EQ(e->kind, ExprKind::kExists);
  ASSERT_TRUE(e->subquery);
  e = ParseExpression("NOT EXISTS (SELECT 1)");
  EXPECT_EQ(e->kind, ExprKind::kUnary);
  EXPECT_EQ(e->args[0]->kind, ExprKind::kExists);
  e = ParseExpression("(SELECT max(a) FROM t) + 1");
  EXPECT_EQ(e->args[0]->kind, ExprKind::kSubquery);
}

TEST(ParseExpr, Case) {
  auto e = ParseExpression("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END");
  ASSERT_EQ(e->kind, ExprKind::kCase);
  ASSERT_EQ(e->args.size(), 5u);
  EXPECT_EQ(e->args[0], nullptr);
  ASSERT_TRUE(e->case_else);
  e = ParseExpression("CASE a WHEN 1 THEN 2 END");
  ASSERT_EQ(e->args.size(), 3u);
  EXPECT_EQ(ExprToString(*e->args[0]), "a");
  EXPECT_FALSE(e->case_else);
  EXPECT_EQ(ExprToString(*e), "CASE a WHEN 1 THEN 2 END");
}

TEST(ParseExpr, Casts) {
  EXPECT_EQ(Expr("a::int"), "a::int");
  EXPECT_EQ(Expr("CAST(a AS varchar(10))"), "a::varchar(10)");
  EXPECT_EQ(Expr("a::numeric(10, 2)::text"), "a::numeric(10,2)::text");
  EXPECT_EQ(Expr("'1'::double precision"), "'1'::double precision");
  EXPECT_EQ(Expr("x::character varying(5)"), "x::character varying(5)");
  EXPECT_EQ(Expr("x::timestamp with time zone"), "x::timestamp with time zone");
  EXPECT_EQ(Expr("x::timestamp(3) without time zone"), "x::timestamp without time zone(3)");
  EXPECT_EQ(Expr("x::int[]"), "x::int[]");
  EXPECT_EQ(Expr("x::pg_catalog.int4"), "x::pg_catalog.int4");
  auto e = ParseExpression("DATE '2024-01-01'");
  ASSERT_EQ(e->kind, ExprKind::kCast);
  EXPECT_EQ(e->cast_type.name, "date");
  EXPECT_EQ(e->args[0]->text, "2024-01-01");
  EXPECT_EQ(ParseExpression("TIMESTAMP '2024-01-01 10:00'")->cast_type.name, "timestamp");
  EXPECT_EQ(ParseExpression("int4 '5'")->cast_type.name, "int4");
}

TEST(ParseExpr, FunctionCalls) {
  auto e = ParseExpression("count(*)");
  EXPECT_EQ(e->func_name, "count");
  EXPECT_TRUE(e->func_star);
  e = ParseExpression("COUNT(DISTINCT a)");
  EXPECT_EQ(e->func_name, "count");
  EXPECT_TRUE(e->func_distinct);
  EXPECT_EQ(e->args.size(), 1u);
  EXPECT_EQ(Expr("Lower(a)"), "lower(a)");
  EXPECT_EQ(Expr("left('abc', 2)"), "left('abc', 2)");
  EXPECT_EQ(Expr("pg_catalog.now()"), "pg_catalog.now()");
  EXPECT_EQ(Expr("f()"), "f()");
}

TEST(ParseExpr, SpecialFunctionForms) {
  EXPECT_EQ(Expr("COALESCE(a, b, 1)"), "coalesce(a, b, 1)");
  EXPECT_EQ(Expr("NULLIF(a, 0)"), "nullif(a, 0)");
  EXPECT_EQ(Expr("GREATEST(1, 2)"), "greatest(1, 2)");
  EXPECT_EQ(Expr("LEAST(1, 2)"), "least(1, 2)");
  EXPECT_EQ(Expr("SUBSTRING(s FROM 2 FOR 3)"), "substring(s, 2, 3)");
  EXPECT_EQ(Expr("SUBSTRING(s FROM 2)"), "substring(s, 2)");
  EXPECT_EQ(Expr("SUBSTRING(s FOR 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(Expr("substring(s, 1, 2)"), "substring(s, 1, 2)");
  EXPECT_EQ(Expr("POSITION('b' IN s)"), "position(s, 'b')");
  EXPECT_EQ(Expr("TRIM(s)"), "btrim(s)");
  EXPECT_EQ(Expr("TRIM(BOTH 'x' FROM s)"), "btrim(s, 'x')");
  EXPECT_EQ(Expr("TRIM(LEADING 'x' FROM s)"), "ltrim(s, 'x')");
  EXPECT_EQ(Expr("TRIM(TRAILING FROM s)"), "rtrim(s)");
  EXPECT_EQ(Expr("EXTRACT(year FROM d)"), "extract('year', d)");
  EXPECT_EQ(Expr("CURRENT_DATE"), "current_date()");
  EXPECT_EQ(Expr("current_timestamp"), "current_timestamp()");
  EXPECT_EQ(Expr("LOCALTIMESTAMP"), "localtimestamp()");
  EXPECT_EQ(Expr("CURRENT_USER"), "current_user()");
  EXPECT_EQ(Expr("SESSION_USER"), "session_user()");
}

TEST(ParseExpr, Rows) {
  auto e = ParseExpression("ROW(1, 'a')");
  EXPECT_EQ(e->kind, ExprKind::kRow);
  EXPECT_EQ(e->args.size(), 2u);
  e = ParseExpression("(a, b) = (1, 2)");
  EXPECT_EQ(e->args[0]->kind, ExprKind::kRow);
  EXPECT_EQ(e->args[1]->kind, ExprKind::kRow);
  EXPECT_EQ(ParseExpression("ROW()")->args.size(), 0u);
}

TEST(ParseExpr, ConstantsAndParams) {
  auto e = ParseExpression("$12");
  EXPECT_EQ(e->kind, ExprKind::kParam);
  EXPECT_EQ(e->param_number, 12);
  EXPECT_EQ(ParseExpression("TRUE")->text, "t");
  EXPECT_EQ(ParseExpression("false")->text, "f");
  EXPECT_EQ(ParseExpression("NULL")->constant_kind, ConstantKind::kNull);
  EXPECT_EQ(ParseExpression("42")->constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(ParseExpression("4.2")->constant_kind, ConstantKind::kDecimal);
  EXPECT_EQ(ParseExpression(".5")->text, ".5");
  EXPECT_EQ(ParseExpression("1e10")->constant_kind, ConstantKind::kDecimal);
  EXPECT_EQ(ParseExpression("1.5E-3")->text, "1.5E-3");
  EXPECT_EQ(ParseExpression("B'101'")->text, "101");
  EXPECT_EQ(ParseExpression("X'1F'")->text, "00011111");
  EXPECT_EQ(ParseExpression("X'1F'")->constant_kind, ConstantKind::kBitString);
}

TEST(ParseExpr, Locations) {
  auto e = ParseExpression("a + foo(b)");
  EXPECT_EQ(e->location, 2);  // the operator, as PostgreSQL reports
  EXPECT_EQ(e->args[0]->location, 0);
  EXPECT_EQ(e->args[1]->location, 4);
  EXPECT_EQ(e->args[1]->args[0]->location, 8);
}

TEST(ParseExpr, CloneIsDeep) {
  auto e = ParseExpression("CASE WHEN a IN (SELECT b FROM t WHERE c = 1) THEN x::int ELSE 2 END");
  auto copy = CloneExpr(*e);
  EXPECT_EQ(ExprToString(*copy), ExprToString(*e));
  EXPECT_NE(copy->args[1].get(), e->args[1].get());
  ASSERT_TRUE(copy->args[1]->subquery);
  EXPECT_NE(copy->args[1]->subquery.get(), e->args[1]->subquery.get());
  EXPECT_EQ(ExprToString(*copy->args[1]->subquery->where), "(c = 1)");
  EXPECT_EQ(copy->args[0], nullptr);
}

TEST(ParseExpr, PsqlCatalogQueryForms) {
  EXPECT_EQ(Expr("c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default"), "(c.relname ~ '^(t)$')");
  EXPECT_EQ(Expr("a OPERATOR(=) b"), "(a = b)");
  EXPECT_EQ(Expr("operator + 1"), "(operator + 1)");  // still usable as a name
}

TEST(ParseExpr, PatternOperators) {
  EXPECT_EQ(Expr("a ~ 'x'"), "(a ~ 'x')");
  EXPECT_EQ(Expr("a !~* 'x'"), "(a !~* 'x')");
  EXPECT_EQ(Expr("2*-1"), "(2 * -1)");
}

}  // namespace
}  // namespace tessera
