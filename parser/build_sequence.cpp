// CREATE / ALTER / DROP SEQUENCE (PostgreSQL's CreateSeqStmt, AlterSeqStmt,
// RenameStmt and DropStmt). Option words are plain identifiers here, as in
// gram.y's SeqOptElem; the executor checks values and refuses what it cannot
// honour.
#include "common/error.h"
#include "parser/ast/ddl_stmts.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

std::string Number(TP::SeqNumberContext* ctx) { return (ctx->MINUS() ? "-" : "") + ctx->INTEGER()->getText(); }

SqlError Unrecognized(const std::string& word, int location) {
  return SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + word + "\"", {}, {}, location + 1);
}

}  // namespace

ast::SequenceOption AstBuilder::BuildSequenceOption(TP::SeqOptionContext* ctx) {
  ast::SequenceOption option;
  option.location = Loc(ctx);
  if (auto* c = dynamic_cast<TP::SeqAsContext*>(ctx)) {
    option.name = "as";
    option.type = BuildTypeName(c->typeName());
    return option;
  }
  if (auto* c = dynamic_cast<TP::SeqStartContext*>(ctx)) {
    option.name = "start";
    option.has_value = true;
    option.value = Number(c->seqNumber());
    return option;
  }
  if (auto* c = dynamic_cast<TP::SeqNoContext*>(ctx)) {
    option.name = ColLabel(c->colLabel());
    option.no = true;
    if (option.name != "minvalue" && option.name != "maxvalue" && option.name != "cycle")
      throw Unrecognized(c->colLabel()->getText(), Loc(c->colLabel()));
    return option;
  }
  if (auto* c = dynamic_cast<TP::SeqOwnedByContext*>(ctx)) {
    option.name = Identifier(c->identifier(0));
    if (option.name != "owned") throw Unrecognized(c->identifier(0)->getText(), option.location);
    option.owned_by.push_back(Identifier(c->identifier(1)));
    for (auto* label : c->colLabel()) option.owned_by.push_back(ColLabel(label));
    return option;
  }
  auto* c = static_cast<TP::SeqWordContext*>(ctx);
  option.name = Identifier(c->identifier());
  option.has_value = c->seqNumber() != nullptr;
  if (option.has_value) option.value = Number(c->seqNumber());
  // Which words take BY / WITH and a number, as gram.y's SeqOptElem.
  bool by = c->BY() != nullptr, with = c->WITH() != nullptr;
  bool ok = (option.name == "increment" && !with && option.has_value) ||
            ((option.name == "minvalue" || option.name == "maxvalue" || option.name == "cache") && !by && !with &&
             option.has_value) ||
            (option.name == "cycle" && !by && !with && !option.has_value) ||
            (option.name == "restart" && !by && (option.has_value || !with));
  if (!ok) throw Unrecognized(c->identifier()->getText(), option.location);
  return option;
}

ast::StatementPtr AstBuilder::BuildCreateSequence(TP::CreateSequenceStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CreateSequenceStmt>();
  stmt->sequence = QualifiedName(ctx->qualifiedName());
  stmt->if_not_exists = ctx->IF() != nullptr;
  stmt->temporary = ctx->TEMP() != nullptr || ctx->TEMPORARY() != nullptr;
  for (auto* option : ctx->seqOption()) stmt->options.push_back(BuildSequenceOption(option));
  return stmt;
}

ast::StatementPtr AstBuilder::BuildAlterSequence(TP::AlterSequenceStmtContext* ctx) {
  auto stmt = std::make_unique<ast::AlterSequenceStmt>();
  if (auto* c = dynamic_cast<TP::AlterSequenceRenameContext*>(ctx)) {
    stmt->sequence = QualifiedName(c->qualifiedName());
    stmt->if_exists = c->IF() != nullptr;
    stmt->new_name = Identifier(c->identifier());
    return stmt;
  }
  auto* c = static_cast<TP::AlterSequenceOptionsContext*>(ctx);
  stmt->sequence = QualifiedName(c->qualifiedName());
  stmt->if_exists = c->IF() != nullptr;
  for (auto* option : c->seqOption()) stmt->options.push_back(BuildSequenceOption(option));
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDropSequence(TP::DropSequenceStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DropSequenceStmt>();
  for (auto* name : ctx->qualifiedName()) stmt->sequences.push_back(QualifiedName(name));
  stmt->if_exists = ctx->IF() != nullptr;
  stmt->cascade = ctx->CASCADE() != nullptr;
  return stmt;
}

}  // namespace tessera
