// GRANT / REVOKE (privileges and roles) and ALTER ... OWNER TO. Privilege
// words are kept as written (lower-cased); the executor checks them against
// the object kind as PostgreSQL's ExecuteGrantStmt does.
#include "common/error.h"
#include "parser/ast/grant_stmts.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

std::string Lower(std::string word) {
  for (char& c : word)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return word;
}

ast::RoleSpec Grantee(TP::GranteeContext* ctx) {
  ast::RoleSpec spec;
  if (ctx->CURRENT_USER()) {
    spec.kind = ast::RoleSpec::Kind::kCurrentUser;
  } else if (ctx->SESSION_USER()) {
    spec.kind = ast::RoleSpec::Kind::kSessionUser;
  } else {
    spec.name = Identifier(ctx->identifier());
    // As in gram.y's RoleSpec: the name public (however written) is PUBLIC.
    if (spec.name == "public") spec.kind = ast::RoleSpec::Kind::kPublic;
  }
  return spec;
}

std::vector<ast::RoleSpec> Grantees(TP::GranteeListContext* ctx) {
  std::vector<ast::RoleSpec> out;
  for (auto* g : ctx->grantee()) out.push_back(Grantee(g));
  return out;
}

void ReadPrivileges(TP::PrivilegesContext* ctx, ast::GrantStmt& stmt) {
  if (ctx->ALL()) {
    stmt.column_list = ctx->identifierList() != nullptr;
    return;
  }
  for (auto* p : ctx->privilege()) {
    std::string word = p->SELECT() ? "select" : p->REFERENCES() ? "references" : p->CREATE() ? "create"
                                                                              : Identifier(p->identifier());
    stmt.privileges.push_back(Lower(word));
    if (p->identifierList()) stmt.column_list = true;
  }
}

void ReadTarget(TP::PrivilegeTargetContext* ctx, ast::GrantStmt& stmt) {
  using Target = ast::GrantStmt::Target;
  if (auto* c = dynamic_cast<TP::TargetTablesContext*>(ctx)) {
    stmt.target = Target::kTable;
    for (auto* name : c->qualifiedName()) stmt.relations.push_back(QualifiedName(name));
  } else if (auto* c = dynamic_cast<TP::TargetSequencesContext*>(ctx)) {
    stmt.target = Target::kSequence;
    for (auto* name : c->qualifiedName()) stmt.relations.push_back(QualifiedName(name));
  } else if (auto* c = dynamic_cast<TP::TargetSchemasContext*>(ctx)) {
    stmt.target = Target::kSchema;
    stmt.schemas = IdentifierList(c->identifierList());
  } else if (auto* c = dynamic_cast<TP::TargetAllTablesContext*>(ctx)) {
    stmt.target = Target::kAllTablesInSchema;
    stmt.schemas = IdentifierList(c->identifierList());
  } else {
    auto* s = static_cast<TP::TargetAllSequencesContext*>(ctx);
    stmt.target = Target::kAllSequencesInSchema;
    stmt.schemas = IdentifierList(s->identifierList());
  }
}

}  // namespace

ast::StatementPtr AstBuilder::BuildGrant(TP::GrantStmtContext* ctx) {
  if (auto* c = dynamic_cast<TP::GrantRoleContext*>(ctx)) {
    auto stmt = std::make_unique<ast::GrantRoleStmt>();
    stmt->roles = IdentifierList(c->identifierList());
    stmt->grantees = Grantees(c->granteeList());
    stmt->admin_option = c->ADMIN() != nullptr;
    stmt->granted_by = c->grantedBy() != nullptr;
    return stmt;
  }
  auto* c = static_cast<TP::GrantPrivilegesContext*>(ctx);
  auto stmt = std::make_unique<ast::GrantStmt>();
  ReadPrivileges(c->privileges(), *stmt);
  ReadTarget(c->privilegeTarget(), *stmt);
  stmt->grantees = Grantees(c->granteeList());
  stmt->grant_option = c->OPTION() != nullptr;
  stmt->granted_by = c->grantedBy() != nullptr;
  return stmt;
}

ast::StatementPtr AstBuilder::BuildRevoke(TP::RevokeStmtContext* ctx) {
  if (auto* c = dynamic_cast<TP::RevokeRoleContext*>(ctx)) {
    auto stmt = std::make_unique<ast::GrantRoleStmt>();
    stmt->is_grant = false;
    stmt->roles = IdentifierList(c->identifierList());
    stmt->grantees = Grantees(c->granteeList());
    stmt->admin_option = c->ADMIN() != nullptr;
    stmt->granted_by = c->grantedBy() != nullptr;
    stmt->cascade = c->CASCADE() != nullptr;
    return stmt;
  }
  auto* c = static_cast<TP::RevokePrivilegesContext*>(ctx);
  auto stmt = std::make_unique<ast::GrantStmt>();
  stmt->is_grant = false;
  ReadPrivileges(c->privileges(), *stmt);
  ReadTarget(c->privilegeTarget(), *stmt);
  stmt->grantees = Grantees(c->granteeList());
  stmt->grant_option = c->OPTION() != nullptr;
  stmt->granted_by = c->grantedBy() != nullptr;
  stmt->cascade = c->CASCADE() != nullptr;
  return stmt;
}

ast::StatementPtr AstBuilder::BuildAlterOwner(TP::AlterOwnerStmtContext* ctx) {
  auto stmt = std::make_unique<ast::AlterOwnerStmt>();
  stmt->object_kind = ctx->VIEW() ? "VIEW" : ctx->SEQUENCE() ? "SEQUENCE" : "TABLE";
  stmt->relation = QualifiedName(ctx->qualifiedName());
  stmt->if_exists = ctx->IF() != nullptr;
  stmt->owner = Grantee(ctx->grantee());
  return stmt;
}

ast::StatementPtr AstBuilder::BuildReassignOwned(TP::ReassignOwnedStmtContext* ctx) {
  auto stmt = std::make_unique<ast::ReassignOwnedStmt>();
  stmt->roles = Grantees(ctx->granteeList());
  stmt->to = Grantee(ctx->grantee());
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDropOwned(TP::DropOwnedStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DropOwnedStmt>();
  stmt->roles = Grantees(ctx->granteeList());
  stmt->cascade = ctx->CASCADE() != nullptr;
  return stmt;
}

}  // namespace tessera
