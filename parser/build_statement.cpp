// The statement list and the dispatch to each statement's builder.
#include "parser/ast_builder.h"

namespace tessera {

std::vector<ast::StatementPtr> AstBuilder::BuildRoot(TP::RootContext* ctx) {
  std::vector<ast::StatementPtr> out;
  for (auto* stmt_ctx : ctx->statement()) out.push_back(BuildStatement(stmt_ctx));
  if (out.empty()) out.push_back(std::make_unique<ast::EmptyStmt>());
  return out;
}

ast::StatementPtr AstBuilder::BuildStatement(TP::StatementContext* ctx) {
  ast::StatementPtr stmt;
  if (auto* c = ctx->selectStmt()) {
    stmt = SelectIntoAsCreateTable(BuildSelect(c));
  } else if (auto* c = ctx->insertStmt()) {
    stmt = BuildInsert(c);
  } else if (auto* c = ctx->updateStmt()) {
    stmt = BuildUpdate(c);
  } else if (auto* c = ctx->deleteStmt()) {
    stmt = BuildDelete(c);
  } else if (auto* c = ctx->createTableAsStmt()) {
    stmt = BuildCreateTableAs(c);
  } else if (auto* c = ctx->createTableStmt()) {
    stmt = BuildCreateTable(c);
  } else if (auto* c = ctx->dropTableStmt()) {
    stmt = BuildDropTable(c);
  } else if (auto* c = ctx->createIndexStmt()) {
    stmt = BuildCreateIndex(c);
  } else if (auto* c = ctx->dropIndexStmt()) {
    stmt = BuildDropIndex(c);
  } else if (auto* c = ctx->createViewStmt()) {
    stmt = BuildCreateView(c);
  } else if (auto* c = ctx->dropViewStmt()) {
    stmt = BuildDropView(c);
  } else if (auto* c = ctx->alterTableStmt()) {
    stmt = BuildAlterTable(c);
  } else if (auto* c = ctx->truncateStmt()) {
    stmt = BuildTruncate(c);
  } else if (auto* c = ctx->transactionStmt()) {
    stmt = BuildTransaction(c);
  } else if (auto* c = ctx->setStmt()) {
    stmt = BuildSet(c);
  } else if (auto* c = ctx->showStmt()) {
    stmt = BuildShow(c);
  } else if (auto* c = ctx->resetStmt()) {
    stmt = BuildReset(c);
  } else if (auto* c = ctx->explainStmt()) {
    stmt = BuildExplain(c);
  } else if (auto* c = ctx->vacuumStmt()) {
    stmt = BuildVacuum(c);
  } else if (auto* c = ctx->createRoleStmt()) {
    stmt = BuildCreateRole(c);
  } else if (auto* c = ctx->alterRoleStmt()) {
    stmt = BuildAlterRole(c);
  } else if (auto* c = ctx->dropRoleStmt()) {
    stmt = BuildDropRole(c);
  } else if (auto* c = ctx->createSequenceStmt()) {
    stmt = BuildCreateSequence(c);
  } else if (auto* c = ctx->alterSequenceStmt()) {
    stmt = BuildAlterSequence(c);
  } else if (auto* c = ctx->dropSequenceStmt()) {
    stmt = BuildDropSequence(c);
  } else if (auto* c = ctx->grantStmt()) {
    stmt = BuildGrant(c);
  } else if (auto* c = ctx->revokeStmt()) {
    stmt = BuildRevoke(c);
  } else if (auto* c = ctx->alterOwnerStmt()) {
    stmt = BuildAlterOwner(c);
  } else if (auto* c = ctx->reassignOwnedStmt()) {
    stmt = BuildReassignOwned(c);
  } else if (auto* c = ctx->dropOwnedStmt()) {
    stmt = BuildDropOwned(c);
  } else if (auto* c = ctx->prepareStmt()) {
    stmt = BuildPrepare(c);
  } else if (auto* c = ctx->executeStmt()) {
    stmt = BuildExecute(c);
  } else if (auto* c = ctx->deallocateStmt()) {
    stmt = BuildDeallocate(c);
  } else if (auto* c = ctx->commentStmt()) {
    stmt = BuildComment(c);
  } else if (auto* c = ctx->declareCursorStmt()) {
    stmt = BuildDeclareCursor(c);
  } else if (auto* c = ctx->fetchStmt()) {
    stmt = BuildFetch(c);
  } else if (auto* c = ctx->closeCursorStmt()) {
    stmt = BuildCloseCursor(c);
  } else if (auto* c = ctx->discardStmt()) {
    stmt = BuildDiscard(c);
  } else if (auto* c = ctx->lockStmt()) {
    stmt = BuildLock(c);
  } else {
    stmt = BuildCopy(ctx->copyStmt());
  }
  stmt->start = Loc(ctx);
  stmt->end = static_cast<int>(ctx->getStop()->getStopIndex()) + 1;
  return stmt;
}

std::string AstBuilder::SourceText(antlr4::ParserRuleContext* ctx) const {
  return input_->getText(antlr4::misc::Interval(ctx->getStart()->getStartIndex(), ctx->getStop()->getStopIndex()));
}

}  // namespace tessera
