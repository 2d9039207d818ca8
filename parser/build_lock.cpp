// LOCK TABLE: the tables and the mode, spelled as PostgreSQL's messages do.
#include <cctype>

#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildLock(TP::LockStmtContext* ctx) {
  auto stmt = std::make_unique<ast::LockStmt>();
  for (auto* target : ctx->lockTarget()) stmt->tables.push_back(QualifiedName(target->qualifiedName()));
  if (auto* mode = ctx->lockMode()) {
    std::string words;
    for (auto* child : mode->children) words += (words.empty() ? "" : " ") + child->getText();
    for (auto& c : words) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    stmt->mode = words;
  }
  stmt->nowait = ctx->NOWAIT() != nullptr;
  return stmt;
}

}  // namespace tessera
