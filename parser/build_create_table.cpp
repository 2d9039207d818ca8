// CREATE [TEMP] TABLE [IF NOT EXISTS] t (columns and constraints) [WITH (...)],
// and CREATE TABLE ... AS query.
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::ForeignKeyClause AstBuilder::BuildForeignKeyClause(TP::QualifiedNameContext* table,
                                                      TP::IdentifierListContext* columns,
                                                      const std::vector<TP::ReferenceOptionContext*>& options,
                                                      int location) {
  ast::ForeignKeyClause fk;
  fk.table = QualifiedName(table);
  if (columns != nullptr) fk.columns = IdentifierList(columns);
  fk.location = location;
  for (auto* option : options) {
    if (option->MATCH() != nullptr) {
      fk.match = option->FULL() != nullptr ? 'f' : option->PARTIAL() != nullptr ? 'p' : 's';
    } else if (option->ON() != nullptr) {
      char action = option->RESTRICT() != nullptr  ? 'r'
                    : option->CASCADE() != nullptr ? 'c'
                    : option->NULL_P() != nullptr  ? 'n'
                    : option->DEFAULT() != nullptr ? 'd'
                                                   : 'a';
      (option->DELETE() != nullptr ? fk.on_delete : fk.on_update) = action;
    } else if (option->DEFERRABLE() != nullptr) {
      fk.deferrable = option->NOT() == nullptr;
    } else {
      fk.initially_deferred = option->DEFERRED() != nullptr;
    }
  }
  return fk;
}

ast::ColumnDef AstBuilder::BuildColumnDef(TP::ColumnDefContext* ctx) {
  ast::ColumnDef column;
  column.name = Identifier(ctx->identifier());
  column.type = BuildTypeName(ctx->typeName());
  column.location = Loc(ctx);
  for (auto* constraint : ctx->columnConstraint()) {
    auto* body = constraint->columnConstraintBody();
    if (dynamic_cast<TP::CcNotNullContext*>(body) != nullptr) {
      column.not_null = true;
    } else if (dynamic_cast<TP::CcNullContext*>(body) != nullptr) {
      column.null_explicit = true;
    } else if (dynamic_cast<TP::CcPrimaryKeyContext*>(body) != nullptr) {
      column.primary_key = true;
    } else if (dynamic_cast<TP::CcUniqueContext*>(body) != nullptr) {
      column.unique = true;
    } else if (auto* d = dynamic_cast<TP::CcDefaultContext*>(body)) {
      column.default_value = BuildBExpr(d->bExpr());
      column.default_text = SourceText(d->bExpr());
    } else if (auto* c = dynamic_cast<TP::CcCheckContext*>(body)) {
      column.check = BuildExpr(c->expr());
      column.check_text = SourceText(c->expr());
      if (constraint->identifier() != nullptr) column.check_name = Identifier(constraint->identifier());
    } else if (auto* r = dynamic_cast<TP::CcReferencesContext*>(body)) {
      column.references = std::make_unique<ast::ForeignKeyClause>(
          BuildForeignKeyClause(r->qualifiedName(), r->identifierList(), r->referenceOption(), Loc(constraint)));
      if (constraint->identifier() != nullptr) column.references_name = Identifier(constraint->identifier());
    } else if (auto* g = dynamic_cast<TP::CcGeneratedContext*>(body)) {
      column.generated_location = Loc(constraint);  // refused by DDL until identity columns exist
      column.identity = g->expr() == nullptr;
      // ALWAYS is the identifier after GENERATED (BY DEFAULT is two keywords).
      column.identity_always = g->BY() == nullptr;
      if (g->BY() == nullptr && Identifier(g->identifier(0)) != "always")
        throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + g->identifier(0)->getText() + "\"", {},
                       {}, Loc(g->identifier(0)) + 1);
      if (column.identity && Identifier(g->identifier().back()) != "identity")
        throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + g->identifier().back()->getText() + "\"",
                       {}, {}, Loc(g->identifier().back()) + 1);
      for (auto* option : g->seqOption()) column.identity_options.push_back(BuildSequenceOption(option));
    }
  }
  return column;
}

ast::TableConstraint AstBuilder::BuildTableConstraint(TP::TableConstraintContext* ctx) {
  ast::TableConstraint constraint;
  constraint.location = Loc(ctx);
  if (ctx->identifier() != nullptr) constraint.name = Identifier(ctx->identifier());
  auto* body = ctx->tableConstraintBody();
  if (auto* pk = dynamic_cast<TP::TcPrimaryKeyContext*>(body)) {
    constraint.kind = ast::ConstraintKind::kPrimaryKey;
    constraint.columns = IdentifierList(pk->identifierList());
  } else if (auto* unique = dynamic_cast<TP::TcUniqueContext*>(body)) {
    constraint.kind = ast::ConstraintKind::kUnique;
    constraint.columns = IdentifierList(unique->identifierList());
  } else if (auto* check = dynamic_cast<TP::TcCheckContext*>(body)) {
    constraint.kind = ast::ConstraintKind::kCheck;
    constraint.check = BuildExpr(check->expr());
    constraint.check_text = SourceText(check->expr());
  } else {
    auto* fk = static_cast<TP::TcForeignKeyContext*>(body);
    constraint.kind = ast::ConstraintKind::kForeignKey;
    constraint.columns = IdentifierList(fk->identifierList(0));
    constraint.references = std::make_unique<ast::ForeignKeyClause>(
        BuildForeignKeyClause(fk->qualifiedName(), fk->identifierList(1), fk->referenceOption(), Loc(ctx)));
  }
  return constraint;
}

char AstBuilder::OnCommit(TP::OnCommitClauseContext* on_commit) {
  if (on_commit == nullptr) return '\0';
  if (on_commit->DROP() != nullptr) return 'D';
  if (on_commit->DELETE() != nullptr) return 'd';
  if (Identifier(on_commit->identifier()) == "preserve") return 'p';
  throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + on_commit->identifier()->getText() + "\"", {},
                 {}, Loc(on_commit->identifier()) + 1);
}

ast::StatementPtr AstBuilder::BuildCreateTableAs(TP::CreateTableAsStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CreateTableStmt>();
  stmt->table = QualifiedName(ctx->qualifiedName());
  stmt->if_not_exists = ctx->IF() != nullptr;
  stmt->temporary = ctx->TEMP() != nullptr || ctx->TEMPORARY() != nullptr;
  stmt->on_commit = OnCommit(ctx->onCommitClause());
  stmt->as_insert = std::make_unique<ast::InsertStmt>();
  stmt->as_insert->table = stmt->table;
  if (ctx->identifierList() != nullptr) stmt->as_columns = IdentifierList(ctx->identifierList());
  stmt->as_insert->source = BuildSelect(ctx->selectStmt());
  if (auto* data = ctx->identifier()) {
    if (Identifier(data) != "data")
      throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + data->getText() + "\"", {}, {},
                     Loc(data) + 1);
    stmt->with_data = ctx->NO() == nullptr;
  }
  return stmt;
}

ast::StatementPtr AstBuilder::SelectIntoAsCreateTable(std::unique_ptr<ast::SelectStmt> select) {
  if (!select->into) return select;
  std::shared_ptr<const ast::IntoClause> into = std::move(select->into);
  auto stmt = std::make_unique<ast::CreateTableStmt>();
  stmt->table = into->table;
  stmt->temporary = into->temporary;
  stmt->as_insert = std::make_unique<ast::InsertStmt>();
  stmt->as_insert->table = into->table;
  stmt->as_insert->source = std::move(select);
  return stmt;
}

ast::StatementPtr AstBuilder::BuildCreateTable(TP::CreateTableStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CreateTableStmt>();
  stmt->table = QualifiedName(ctx->qualifiedName());
  stmt->if_not_exists = ctx->IF() != nullptr;
  stmt->temporary = ctx->TEMP() != nullptr || ctx->TEMPORARY() != nullptr;
  stmt->on_commit = OnCommit(ctx->onCommitClause());
  for (auto* element : ctx->tableElement()) {
    if (element->columnDef() != nullptr) {
      stmt->columns.push_back(BuildColumnDef(element->columnDef()));
    } else {
      stmt->constraints.push_back(BuildTableConstraint(element->tableConstraint()));
    }
  }
  if (auto* with = ctx->withOptions()) {
    for (auto* option : with->withOption()) {
      std::string value = option->optionValue() != nullptr ? OptionValueText(option->optionValue()) : "";
      stmt->with_options.emplace_back(ColLabel(option->colLabel()), std::move(value));
    }
  }
  return stmt;
}

}  // namespace tessera
