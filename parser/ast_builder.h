// Private to parser/: turns ANTLR's parse tree into the project's AST. It walks
// the typed contexts directly instead of going through the generated visitor,
// because the visitor returns std::any-like values that cost an allocation per
// node; the fast path (pgbench's statements) should cost a few microseconds.
//
// The methods are spread over build_*.cpp files, one per statement family.
#pragma once

#include <string>
#include <vector>

#include "TesseraParser.h"
#include "parser/parser.h"

namespace tessera {

using TP = tessera_antlr::TesseraParser;

class AstBuilder {
 public:
  explicit AstBuilder(antlr4::CharStream* input) : input_(input) {}

  // build_statement.cpp
  std::vector<ast::StatementPtr> BuildRoot(TP::RootContext* ctx);
  ast::StatementPtr BuildStatement(TP::StatementContext* ctx);

  // build_select.cpp
  std::unique_ptr<ast::SelectStmt> BuildSelect(TP::SelectStmtContext* ctx);
  // WITH ... (build_with.cpp); null for a null context.
  ast::WithClauseRef BuildWith(TP::WithClauseContext* ctx);
  std::vector<ast::SelectTarget> BuildTargetList(TP::TargetListContext* ctx);
  ast::TableRefPtr BuildTableRef(TP::TableRefContext* ctx);
  std::vector<ast::OrderItem> BuildOrderItems(const std::vector<TP::OrderItemContext*>& items);
  ast::LockingClause BuildLockingClause(TP::LockingItemContext* ctx);

  // build_insert.cpp, build_update.cpp, build_delete.cpp
  ast::StatementPtr BuildInsert(TP::InsertStmtContext* ctx);
  ast::StatementPtr BuildUpdate(TP::UpdateStmtContext* ctx);
  ast::StatementPtr BuildDelete(TP::DeleteStmtContext* ctx);
  void BuildSetClause(TP::SetClauseContext* ctx, std::vector<ast::SetClause>& out);

  // build_create_table.cpp, build_ddl.cpp
  ast::StatementPtr BuildCreateTable(TP::CreateTableStmtContext* ctx);
  ast::StatementPtr BuildCreateTableAs(TP::CreateTableAsStmtContext* ctx);
  // A SELECT whose own INTO names a table becomes CREATE TABLE AS, as in
  // PostgreSQL; any other SELECT is returned as it is.
  ast::StatementPtr SelectIntoAsCreateTable(std::unique_ptr<ast::SelectStmt> select);
  char OnCommit(TP::OnCommitClauseContext* ctx);  // '\0' when absent (CreateTableStmt::on_commit)
  ast::ColumnDef BuildColumnDef(TP::ColumnDefContext* ctx);
  ast::ForeignKeyClause BuildForeignKeyClause(TP::QualifiedNameContext* table, TP::IdentifierListContext* columns,
                                              const std::vector<TP::ReferenceOptionContext*>& options, int location);
  ast::TableConstraint BuildTableConstraint(TP::TableConstraintContext* ctx);
  ast::StatementPtr BuildDropTable(TP::DropTableStmtContext* ctx);
  ast::StatementPtr BuildCreateIndex(TP::CreateIndexStmtContext* ctx);
  ast::StatementPtr BuildDropIndex(TP::DropIndexStmtContext* ctx);
  ast::StatementPtr BuildCreateView(TP::CreateViewStmtContext* ctx);
  ast::StatementPtr BuildDropView(TP::DropViewStmtContext* ctx);
  ast::StatementPtr BuildAlterTable(TP::AlterTableStmtContext* ctx);
  ast::StatementPtr BuildTruncate(TP::TruncateStmtContext* ctx);

  // build_utility.cpp
  ast::StatementPtr BuildTransaction(TP::TransactionStmtContext* ctx);
  ast::StatementPtr BuildSet(TP::SetStmtContext* ctx);
  ast::StatementPtr BuildShow(TP::ShowStmtContext* ctx);
  ast::StatementPtr BuildReset(TP::ResetStmtContext* ctx);
  ast::StatementPtr BuildExplain(TP::ExplainStmtContext* ctx);
  ast::StatementPtr BuildVacuum(TP::VacuumStmtContext* ctx);
  ast::StatementPtr BuildCopy(TP::CopyStmtContext* ctx);

  // build_role.cpp
  ast::StatementPtr BuildCreateRole(TP::CreateRoleStmtContext* ctx);
  ast::StatementPtr BuildAlterRole(TP::AlterRoleStmtContext* ctx);
  ast::StatementPtr BuildDropRole(TP::DropRoleStmtContext* ctx);

  // build_grant.cpp
  ast::StatementPtr BuildGrant(TP::GrantStmtContext* ctx);
  ast::StatementPtr BuildRevoke(TP::RevokeStmtContext* ctx);
  ast::StatementPtr BuildAlterOwner(TP::AlterOwnerStmtContext* ctx);
  ast::StatementPtr BuildReassignOwned(TP::ReassignOwnedStmtContext* ctx);
  ast::StatementPtr BuildDropOwned(TP::DropOwnedStmtContext* ctx);
  // PREPARE, EXECUTE, DEALLOCATE (build_prepared.cpp).
  ast::StatementPtr BuildPrepare(TP::PrepareStmtContext* ctx);
  ast::StatementPtr BuildExecute(TP::ExecuteStmtContext* ctx);
  ast::StatementPtr BuildDeallocate(TP::DeallocateStmtContext* ctx);
  ast::StatementPtr BuildComment(TP::CommentStmtContext* ctx);
  // DECLARE, FETCH/MOVE, CLOSE, DISCARD (build_cursor.cpp).
  ast::StatementPtr BuildDeclareCursor(TP::DeclareCursorStmtContext* ctx);
  ast::StatementPtr BuildFetch(TP::FetchStmtContext* ctx);
  ast::StatementPtr BuildCloseCursor(TP::CloseCursorStmtContext* ctx);
  ast::StatementPtr BuildDiscard(TP::DiscardStmtContext* ctx);
  ast::StatementPtr BuildLock(TP::LockStmtContext* ctx);  // build_lock.cpp

  // build_sequence.cpp
  ast::StatementPtr BuildCreateSequence(TP::CreateSequenceStmtContext* ctx);
  ast::StatementPtr BuildAlterSequence(TP::AlterSequenceStmtContext* ctx);
  ast::StatementPtr BuildDropSequence(TP::DropSequenceStmtContext* ctx);
  ast::SequenceOption BuildSequenceOption(TP::SeqOptionContext* ctx);

  // build_expr.cpp
  ast::ExprPtr BuildExpr(TP::ExprContext* ctx);
  ast::ExprPtr BuildBExpr(TP::BExprContext* ctx);
  ast::ExprPtr BuildLogicChain(TP::ExprContext* ctx);
  ast::ExprPtr BuildBinaryChain(TP::BExprContext* ctx);
  std::vector<ast::ExprPtr> BuildExprList(TP::ExprListContext* ctx);
  ast::ExprPtr BuildConstant(TP::ConstantContext* ctx);

  // build_array.cpp
  ast::ExprPtr BuildCompareAny(TP::CompareAnyContext* ctx);
  ast::ExprPtr BuildSubscript(TP::SubscriptContext* ctx);

  // build_special_func.cpp
  ast::ExprPtr BuildSpecialFunc(TP::SpecialFuncContext* ctx);
  ast::ExprPtr BuildFuncApplication(TP::FuncApplicationContext* ctx);

  // build_window.cpp
  ast::WindowSpecRef BuildOverClause(TP::OverClauseContext* ctx);
  ast::WindowSpecRef BuildWindowSpec(TP::WindowSpecContext* ctx);
  std::vector<ast::WindowDef> BuildWindowClause(TP::WindowClauseContext* ctx);
  ast::FrameBound BuildFrameBound(TP::FrameBoundContext* ctx);

  // The statement text a rule matched, as written (column defaults).
  std::string SourceText(antlr4::ParserRuleContext* ctx) const;

 private:
  ast::ExprPtr BuildPredicate(TP::PredicateContext* ctx);
  ast::ExprPtr BuildPrimary(TP::PrimaryExprContext* ctx);

  std::unique_ptr<ast::SelectStmt> BuildUnion(TP::SelectUnionContext* ctx);
  std::unique_ptr<ast::SelectStmt> BuildIntersect(TP::SelectIntersectContext* ctx);
  std::unique_ptr<ast::SelectStmt> BuildSelectPrimary(TP::SelectPrimaryContext* ctx);
  std::unique_ptr<ast::SelectStmt> BuildSimpleSelect(TP::SimpleSelectContext* ctx);
  ast::TableRefPtr BuildTablePrimary(TP::TablePrimaryContext* ctx);

  antlr4::CharStream* input_;
};

// build_names.cpp: identifiers, literals and type names. Free functions since
// they need no builder state.
int Loc(antlr4::Token* token);
int Loc(antlr4::ParserRuleContext* ctx);
// Lower-cases unquoted names (ASCII only, as PostgreSQL does for UTF-8),
// unquotes quoted ones, truncates to 63 bytes.
std::string FoldIdentifierToken(antlr4::Token* token);
std::string Identifier(TP::IdentifierContext* ctx);
std::string ColLabel(TP::ColLabelContext* ctx);
std::string FuncIdent(TP::FuncIdentContext* ctx);
std::vector<std::string> IdentifierList(TP::IdentifierListContext* ctx);
ast::QualifiedName QualifiedName(TP::QualifiedNameContext* ctx);
std::string StringConst(TP::StringConstContext* ctx);
std::string LowerAscii(std::string s);
ast::TypeName BuildTypeName(TP::TypeNameContext* ctx);
ast::TypeName BuildSimpleTypeName(TP::SimpleTypeNameContext* ctx);
// Text of an option value or SET value: numbers as written, strings unquoted,
// names folded.
std::string OptionValueText(TP::OptionValueContext* ctx);
std::string VarValueText(TP::VarValueContext* ctx);
std::string VarName(TP::VarNameContext* ctx);

}  // namespace tessera
