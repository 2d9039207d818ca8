// Window definitions: OVER name | (spec), WINDOW clause, frames and gram.y's frame checks.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/ast/select_stmt.h"
#include "tests/unit/parser/parse_one.h"

namespace tessera {
namespace {

using namespace ast;

std::unique_ptr<SelectStmt> ParseSelect(std::string_view sql) { return ParseOne<SelectStmt>(sql, StmtKind::kSelect); }

std::string SqlstateOf(std::string_view sql) {
  try {
    ParseSql(sql);
  } catch (const SqlError& e) {
    return e.Sqlstate();
  }
  return "";
}

TEST(ParseWindow, OverSpec) {
  auto s = ParseSelect("SELECT rank() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST) FROM t");
  const Expr& call = *s->targets[0].expr;
  ASSERT_EQ(call.kind, ExprKind::kFuncCall);
  ASSERT_NE(call.over, nullptr);
  EXPECT_TRUE(call.over->ref.empty());
  EXPECT_EQ(call.over->partition_by.size(), 2u);
  ASSERT_EQ(call.over->order_by.size(), 1u);
  EXPECT_TRUE(call.over->order_by[0]->descending);
  EXPECT_EQ(call.over->order_by[0]->nulls_first, std::optional<bool>(false));
  EXPECT_FALSE(call.over->frame.has_value());
  // A copy shares the window.
  EXPECT_EQ(CloneExpr(call)->over, call.over);
}

TEST(ParseWindow, NamedWindows) {
  auto s =
      ParseSelect("SELECT sum(x) OVER w, sum(x) OVER (w ORDER BY y) FROM t WINDOW w AS (PARTITION BY z), v AS (w)");
  EXPECT_TRUE(s->targets[0].expr->over->bare_ref);
  EXPECT_EQ(s->targets[0].expr->over->ref, "w");
  EXPECT_FALSE(s->targets[1].expr->over->bare_ref);
  EXPECT_EQ(s->targets[1].expr->over->order_by.size(), 1u);
  ASSERT_EQ(s->windows.size(), 2u);
  EXPECT_EQ(s->windows[0].name, "w");
  EXPECT_EQ(s->windows[1].spec->ref, "w");
}

TEST(ParseWindow, Frames) {
  auto s = ParseSelect("SELECT sum(x) OVER (ORDER BY y ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING) FROM t");
  const WindowFrame& f = *s->targets[0].expr->over->frame;
  EXPECT_EQ(f.mode, FrameMode::kRows);
  EXPECT_EQ(f.start.kind, FrameBoundKind::kPreceding);
  ASSERT_NE(f.start.offset, nullptr);
  EXPECT_EQ(f.end.kind, FrameBoundKind::kUnboundedFollowing);
  // One bound: it is the start, and the frame ends at the current row.
  auto r = ParseSelect("SELECT sum(x) OVER (RANGE UNBOUNDED PRECEDING EXCLUDE TIES) FROM t");
  const WindowFrame& g = *r->targets[0].expr->over->frame;
  EXPECT_EQ(g.mode, FrameMode::kRange);
  EXPECT_EQ(g.start.kind, FrameBoundKind::kUnboundedPreceding);
  EXPECT_EQ(g.end.kind, FrameBoundKind::kCurrentRow);
  EXPECT_EQ(g.exclusion, FrameExclusion::kTies);
}

TEST(ParseWindow, WindowKeywordsStayNames) {
  auto s = ParseSelect("SELECT over, partition, range, rows, current, preceding FROM t");
  EXPECT_EQ(s->targets.size(), 6u);
  EXPECT_EQ(s->targets[0].expr->over, nullptr);
}

TEST(ParseWindow, FrameChecks) {
  EXPECT_EQ(SqlstateOf("SELECT sum(x) OVER (ROWS UNBOUNDED FOLLOWING) FROM t"), "42P20");
  EXPECT_EQ(SqlstateOf("SELECT sum(x) OVER (ROWS 1 FOLLOWING) FROM t"), "42P20");
  EXPECT_EQ(SqlstateOf("SELECT sum(x) OVER (ROWS BETWEEN 1 PRECEDING AND UNBOUNDED PRECEDING) FROM t"), "42P20");
  EXPECT_EQ(SqlstateOf("SELECT sum(x) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t"), "42P20");
  EXPECT_EQ(SqlstateOf("SELECT sum(x) OVER (ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW) FROM t"), "42P20");
  EXPECT_EQ(SqlstateOf("SELECT sum(x) OVER (ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t"), "");
}

}  // namespace
}  // namespace tessera
