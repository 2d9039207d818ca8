// DECLARE, FETCH/MOVE, CLOSE and DISCARD. FETCH's many spellings become
// PostgreSQL's four directions with a signed count, as its gram.y does.
#include <string>

#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

// PostgreSQL's SignedIconst: an int4, so a bigger count is out of range there too.
int64_t SignedCount(TP::SignedCountContext* ctx) {
  std::string digits = ctx->INTEGER()->getText();
  int64_t value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
    if (value > 2147483648LL) throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + digits + "\"");
  }
  if (ctx->MINUS()) return -value;
  if (value > 2147483647LL) throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + digits + "\"");
  return value;
}

}  // namespace

ast::StatementPtr AstBuilder::BuildDeclareCursor(TP::DeclareCursorStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DeclareCursorStmt>();
  stmt->name = Identifier(ctx->identifier());
  for (auto* option : ctx->cursorOption()) {
    if (option->BINARY())
      stmt->binary = true;
    else if (option->NO())
      stmt->no_scroll = true;
    else
      stmt->scroll = true;
  }
  if (stmt->scroll && stmt->no_scroll)
    throw SqlError(sqlstate::kInvalidCursorDefinition, "cannot specify both SCROLL and NO SCROLL");
  stmt->hold = ctx->WITH() != nullptr;
  stmt->query = BuildSelect(ctx->selectStmt());
  stmt->query_text = SourceText(ctx->selectStmt());
  return stmt;
}

ast::StatementPtr AstBuilder::BuildFetch(TP::FetchStmtContext* ctx) {
  using ast::FetchDirection;
  auto stmt = std::make_unique<ast::FetchStmt>();
  stmt->name = Identifier(ctx->identifier());
  stmt->move = ctx->MOVE() != nullptr;
  auto* dir = ctx->fetchDirection();
  if (dir == nullptr || dir->NEXT()) return stmt;  // FORWARD 1
  if (dir->PRIOR()) {
    stmt->direction = FetchDirection::kBackward;
  } else if (dir->FIRST()) {
    stmt->direction = FetchDirection::kAbsolute;
  } else if (dir->LAST()) {
    stmt->direction = FetchDirection::kAbsolute;
    stmt->count = -1;
  } else if (dir->ABSOLUTE()) {
    stmt->direction = FetchDirection::kAbsolute;
    stmt->count = SignedCount(dir->signedCount());
  } else if (dir->RELATIVE()) {
    stmt->direction = FetchDirection::kRelative;
    stmt->count = SignedCount(dir->signedCount());
  } else if (dir->FORWARD() || dir->BACKWARD()) {
    stmt->direction = dir->FORWARD() ? FetchDirection::kForward : FetchDirection::kBackward;
    if (dir->ALL())
      stmt->count = ast::FetchStmt::kAll;
    else if (dir->signedCount())
      stmt->count = SignedCount(dir->signedCount());
  } else if (dir->ALL()) {
    stmt->count = ast::FetchStmt::kAll;
  } else {
    stmt->count = SignedCount(dir->signedCount());
  }
  return stmt;
}

ast::StatementPtr AstBuilder::BuildCloseCursor(TP::CloseCursorStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CloseCursorStmt>();
  stmt->all = ctx->ALL() != nullptr;
  if (!stmt->all) stmt->name = Identifier(ctx->identifier());
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDiscard(TP::DiscardStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DiscardStmt>();
  if (ctx->PLANS())
    stmt->target = ast::DiscardTarget::kPlans;
  else if (ctx->SEQUENCES())
    stmt->target = ast::DiscardTarget::kSequences;
  else if (ctx->TEMP() || ctx->TEMPORARY())
    stmt->target = ast::DiscardTarget::kTemp;
  return stmt;
}

}  // namespace tessera
