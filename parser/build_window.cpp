// Window definitions: f(...) OVER name | (spec), and WINDOW name AS (spec).
#include "common/error.h"
#include "parser/ast/select_stmt.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

ast::FrameBoundKind BoundKind(TP::FrameBoundContext* ctx) {
  if (ctx->CURRENT() != nullptr) return ast::FrameBoundKind::kCurrentRow;
  bool preceding = ctx->PRECEDING() != nullptr;
  if (ctx->UNBOUNDED() != nullptr)
    return preceding ? ast::FrameBoundKind::kUnboundedPreceding : ast::FrameBoundKind::kUnboundedFollowing;
  return preceding ? ast::FrameBoundKind::kPreceding : ast::FrameBoundKind::kFollowing;
}

ast::FrameExclusion Exclusion(TP::FrameExclusionContext* ctx) {
  if (ctx == nullptr || ctx->OTHERS() != nullptr) return ast::FrameExclusion::kNoOthers;
  if (ctx->CURRENT() != nullptr) return ast::FrameExclusion::kCurrentRow;
  if (ctx->GROUP() != nullptr) return ast::FrameExclusion::kGroup;
  return ast::FrameExclusion::kTies;
}

// gram.y's checks of a frame's bounds (42P20, at parse time as there).
void CheckFrame(const ast::WindowFrame& frame, bool between) {
  using K = ast::FrameBoundKind;
  auto fail = [&](const char* message) {
    throw SqlError(sqlstate::kWindowingError, message, {}, {}, frame.start.location + 1);
  };
  if (frame.start.kind == K::kUnboundedFollowing) fail("frame start cannot be UNBOUNDED FOLLOWING");
  if (!between) {
    if (frame.start.kind == K::kFollowing) fail("frame starting from following row cannot end with current row");
    return;
  }
  if (frame.end.kind == K::kUnboundedPreceding) fail("frame end cannot be UNBOUNDED PRECEDING");
  if (frame.start.kind == K::kCurrentRow && frame.end.kind == K::kPreceding)
    fail("frame starting from current row cannot have preceding rows");
  if (frame.start.kind == K::kFollowing && (frame.end.kind == K::kPreceding || frame.end.kind == K::kCurrentRow))
    fail("frame starting from following row cannot have preceding rows");
}

}  // namespace

ast::FrameBound AstBuilder::BuildFrameBound(TP::FrameBoundContext* ctx) {
  ast::FrameBound bound;
  bound.kind = BoundKind(ctx);
  bound.location = Loc(ctx);
  if (ctx->bExpr() != nullptr) bound.offset = BuildBExpr(ctx->bExpr());
  return bound;
}

ast::WindowSpecRef AstBuilder::BuildWindowSpec(TP::WindowSpecContext* ctx) {
  auto spec = std::make_shared<ast::WindowSpec>();
  spec->location = Loc(ctx);
  if (ctx->identifier() != nullptr) spec->ref = Identifier(ctx->identifier());
  if (ctx->exprList() != nullptr)
    for (auto& e : BuildExprList(ctx->exprList())) spec->partition_by.push_back(std::move(e));
  for (auto& item : BuildOrderItems(ctx->orderItem()))
    spec->order_by.push_back(std::make_shared<ast::OrderItem>(std::move(item)));
  if (auto* f = ctx->frameClause()) {
    ast::WindowFrame frame;
    frame.location = Loc(f);
    frame.mode = f->ROWS() != nullptr     ? ast::FrameMode::kRows
                 : f->GROUPS() != nullptr ? ast::FrameMode::kGroups
                                          : ast::FrameMode::kRange;
    auto bounds = f->frameBound();
    frame.start = BuildFrameBound(bounds[0]);
    if (bounds.size() > 1) {
      frame.end = BuildFrameBound(bounds[1]);
    } else {
      frame.end.kind = ast::FrameBoundKind::kCurrentRow;
      frame.end.location = frame.start.location;
    }
    frame.exclusion = Exclusion(f->frameExclusion());
    CheckFrame(frame, bounds.size() > 1);
    spec->frame = std::move(frame);
  }
  return spec;
}

ast::WindowSpecRef AstBuilder::BuildOverClause(TP::OverClauseContext* ctx) {
  if (ctx->windowSpec() != nullptr) return BuildWindowSpec(ctx->windowSpec());
  auto spec = std::make_shared<ast::WindowSpec>();
  spec->location = Loc(ctx->identifier());
  spec->ref = Identifier(ctx->identifier());
  spec->bare_ref = true;
  return spec;
}

std::vector<ast::WindowDef> AstBuilder::BuildWindowClause(TP::WindowClauseContext* ctx) {
  std::vector<ast::WindowDef> out;
  for (auto* def : ctx->windowDef()) {
    ast::WindowDef w;
    w.name = Identifier(def->identifier());
    w.location = Loc(def);
    w.spec = BuildWindowSpec(def->windowSpec());
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace tessera
