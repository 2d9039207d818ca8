// GRANT / REVOKE of privileges and of roles, and ALTER ... OWNER TO
// (PostgreSQL's GrantStmt, GrantRoleStmt, AlterOwnerStmt).
#pragma once

#include <string>
#include <vector>

#include "parser/ast/statement.h"

namespace tessera::ast {

// A role as GRANT names it: a name, PUBLIC, CURRENT_USER or SESSION_USER.
struct RoleSpec {
  enum class Kind : uint8_t { kName, kPublic, kCurrentUser, kSessionUser };
  Kind kind = Kind::kName;
  std::string name;
};

struct GrantStmt : Statement {
  GrantStmt() : Statement(StmtKind::kGrant) {}
  enum class Target : uint8_t { kTable, kSequence, kSchema, kAllTablesInSchema, kAllSequencesInSchema };
  bool is_grant = true;
  Target target = Target::kTable;
  std::vector<QualifiedName> relations;  // kTable, kSequence
  std::vector<std::string> schemas;      // kSchema, kAll*InSchema
  std::vector<std::string> privileges;   // lower-case words as written; empty: ALL [PRIVILEGES]
  bool column_list = false;              // some privilege named columns
  std::vector<RoleSpec> grantees;
  bool grant_option = false;  // WITH GRANT OPTION; REVOKE GRANT OPTION FOR
  bool granted_by = false;
  bool cascade = false;
};

struct GrantRoleStmt : Statement {
  GrantRoleStmt() : Statement(StmtKind::kGrantRole) {}
  bool is_grant = true;
  std::vector<std::string> roles;
  std::vector<RoleSpec> grantees;
  bool admin_option = false;  // WITH ADMIN OPTION; REVOKE ADMIN OPTION FOR
  bool granted_by = false;
  bool cascade = false;
};

struct AlterOwnerStmt : Statement {
  AlterOwnerStmt() : Statement(StmtKind::kAlterOwner) {}
  std::string object_kind;  // TABLE, VIEW or SEQUENCE, as written
  QualifiedName relation;
  bool if_exists = false;
  RoleSpec owner;
};

// REASSIGN OWNED BY roles TO role: the roles' tables, views and sequences
// in this database change owner, as ALTER ... OWNER TO would.
struct ReassignOwnedStmt : Statement {
  ReassignOwnedStmt() : Statement(StmtKind::kReassignOwned) {}
  std::vector<RoleSpec> roles;
  RoleSpec to;
};

// DROP OWNED BY roles: revokes what was granted to them and drops what
// they own in this database.
struct DropOwnedStmt : Statement {
  DropOwnedStmt() : Statement(StmtKind::kDropOwned) {}
  std::vector<RoleSpec> roles;
  bool cascade = false;
};

}  // namespace tessera::ast
