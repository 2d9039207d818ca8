// COMMENT ON TABLE | VIEW | COLUMN ... IS 'text' | NULL (ast::CommentStmt).
// Other objects parse so that they are refused with 0A000, not 42601.
#include "common/error.h"
#include "parser/ast/ddl_stmts.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildComment(TP::CommentStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CommentStmt>();
  auto* object = ctx->commentObject();
  std::vector<std::string> names{Identifier(ctx->identifier())};
  for (auto* label : ctx->colLabel()) names.push_back(ColLabel(label));
  auto joined = [&] {
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) out += (i ? "." : "") + names[i];
    return out;
  };
  if (object->COLUMN()) {
    if (names.size() < 2) throw SqlError(sqlstate::kSyntaxError, "column name must be qualified");
    if (names.size() > 3)
      throw SqlError(sqlstate::kSyntaxError, "improper relation name (too many dotted names): " + joined());
    stmt->object = ast::CommentStmt::Object::kColumn;
    stmt->column = names.back();
    names.pop_back();
  } else if (object->TABLE() || object->VIEW()) {
    stmt->object = object->TABLE() ? ast::CommentStmt::Object::kTable : ast::CommentStmt::Object::kView;
    if (names.size() > 2)
      throw SqlError(sqlstate::kSyntaxError, "improper qualified name (too many dotted names): " + joined());
  } else {
    std::string kind = object->getText();
    for (char& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    throw SqlError::FeatureNotSupported("COMMENT ON " + kind + " is not supported");
  }
  stmt->relation.name = names.back();
  if (names.size() == 2) stmt->relation.schema = names.front();
  if (ctx->stringConst()) stmt->comment = StringConst(ctx->stringConst());
  return stmt;
}

}  // namespace tessera
