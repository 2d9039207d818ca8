// CREATE ROLE / ALTER ROLE / DROP ROLE (PostgreSQL's CreateRoleStmt,
// AlterRoleStmt, RenameStmt and DropRoleStmt). Flags are plain words here
// as in gram.y; the executor decides which options it can honour.
#include "common/error.h"
#include "parser/ast/ddl_stmts.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

std::string LowerWord(const std::string& word) {
  std::string out = word;
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string JoinNames(TP::IdentifierListContext* ctx) {
  std::string out;
  for (const std::string& name : IdentifierList(ctx)) out += (out.empty() ? "" : ",") + name;
  return out;
}

// The flags PostgreSQL's AlterOptRoleElem accepts as IDENT.
ast::RoleOption Flag(antlr4::Token* token) {
  std::string word = LowerWord(token->getText());
  if (word == "createuser") word = "superuser";  // CREATEUSER is an obsolete spelling of SUPERUSER
  if (word == "nocreateuser") word = "nosuperuser";
  static const char* const kFlags[] = {"superuser", "nosuperuser", "createrole", "nocreaterole", "createdb",
                                       "nocreatedb", "login", "nologin", "inherit", "noinherit",
                                       "replication", "noreplication", "bypassrls", "nobypassrls"};
  for (const char* flag : kFlags)
    if (word == flag) return {word, {}, false, Loc(token)};
  throw SqlError(sqlstate::kSyntaxError, "unrecognized role option \"" + word + "\"", {}, {}, Loc(token) + 1);
}

ast::RoleOption BuildRoleOption(TP::RoleOptionContext* ctx) {
  int loc = Loc(ctx);
  if (auto* c = dynamic_cast<TP::RolePasswordContext*>(ctx)) {
    if (c->NULL_P()) return {"password", {}, true, loc};
    return {"password", StringConst(c->stringConst()), false, loc};
  }
  if (dynamic_cast<TP::RoleUnencryptedPasswordContext*>(ctx))
    throw SqlError(sqlstate::kFeatureNotSupported, "UNENCRYPTED PASSWORD is no longer supported", {},
                   "Remove UNENCRYPTED to store the password in encrypted form instead.", loc + 1);
  if (auto* c = dynamic_cast<TP::RoleValidUntilContext*>(ctx))
    return {"validUntil", StringConst(c->stringConst()), false, loc};
  if (auto* c = dynamic_cast<TP::RoleConnectionLimitContext*>(ctx))
    return {"connectionlimit", (c->MINUS() ? "-" : "") + c->INTEGER()->getText(), false, loc};
  if (auto* c = dynamic_cast<TP::RoleSysidContext*>(ctx)) return {"sysid", c->INTEGER()->getText(), false, loc};
  if (auto* c = dynamic_cast<TP::RoleInRoleContext*>(ctx)) return {"addroleto", JoinNames(c->identifierList()), false, loc};
  if (auto* c = dynamic_cast<TP::RoleMembersContext*>(ctx))
    return {c->ADMIN() ? "adminmembers" : "rolemembers", JoinNames(c->identifierList()), false, loc};
  return Flag(static_cast<TP::RoleFlagContext*>(ctx)->IDENTIFIER()->getSymbol());
}

}  // namespace

ast::StatementPtr AstBuilder::BuildCreateRole(TP::CreateRoleStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CreateRoleStmt>();
  stmt->kind = ctx->USER() ? "USER" : ctx->GROUP() ? "GROUP" : "ROLE";
  stmt->name = Identifier(ctx->identifier());
  for (auto* option : ctx->roleOption()) stmt->options.push_back(BuildRoleOption(option));
  return stmt;
}

ast::StatementPtr AstBuilder::BuildAlterRole(TP::AlterRoleStmtContext* ctx) {
  auto stmt = std::make_unique<ast::AlterRoleStmt>();
  if (auto* c = dynamic_cast<TP::AlterRoleRenameContext*>(ctx)) {
    stmt->name = Identifier(c->identifier(0));
    stmt->new_name = Identifier(c->identifier(1));
    return stmt;
  }
  auto* c = static_cast<TP::AlterRoleOptionsContext*>(ctx);
  stmt->name = Identifier(c->identifier());
  for (auto* option : c->roleOption()) stmt->options.push_back(BuildRoleOption(option));
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDropRole(TP::DropRoleStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DropRoleStmt>();
  stmt->if_exists = ctx->IF() != nullptr;
  for (auto* name : ctx->identifier()) stmt->names.push_back(Identifier(name));
  return stmt;
}

}  // namespace tessera
