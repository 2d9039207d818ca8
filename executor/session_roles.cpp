// CREATE ROLE / ALTER ROLE / DROP ROLE, and the session's role (Start).
// Roles are catalog entries (catalog::RoleInfo) changed at once, not at
// COMMIT, so they are refused inside a transaction block. Checks, messages
// and SQLSTATEs follow PostgreSQL 15's commands/user.c; what Tessera parses
// but does not enforce (VALID UNTIL, CONNECTION LIMIT other than -1,
// REPLICATION, BYPASSRLS) is refused with 0A000. CREATE ROLE's IN ROLE, ROLE
// and ADMIN add memberships (as GRANT role TO role, session_role_grants.cpp).
#include <set>

#include "common/error.h"
#include "common/scram.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

constexpr const char* kReservedName = "42939";
constexpr const char* kObjectInUse = "55006";

SqlError Denied(const std::string& message) { return SqlError(sqlstate::kInsufficientPrivilege, message); }

SqlError Reserved(const std::string& name) {
  if (name == "public" || name == "none") return SqlError(kReservedName, "role name \"" + name + "\" is reserved");
  return SqlError(kReservedName, "role name \"" + name + "\" is reserved",
                  "Role names starting with \"pg_\" are reserved.");
}

bool IsReservedName(const std::string& name) { return name.starts_with("pg_"); }

// The options of one CREATE/ALTER ROLE, each given at most once.
struct RoleOptions {
  std::optional<bool> superuser, create_role, create_db, can_login, inherit;
  bool password_given = false;
  std::optional<std::string> password;  // nullopt with password_given: PASSWORD NULL
  // CREATE ROLE's IN ROLE (roles it joins), ROLE/USER and ADMIN (its members).
  std::vector<std::string> in_roles, members, admins;
};

std::vector<std::string> SplitNames(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t comma = joined.find(',', start);
    out.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    start = comma == std::string::npos ? joined.size() + 1 : comma + 1;
  }
  return out;
}

RoleOptions ReadOptions(const std::vector<ast::RoleOption>& options, ResultSink& sink) {
  RoleOptions out;
  std::set<std::string> seen;
  for (const ast::RoleOption& o : options) {
    // Both spellings of a flag (LOGIN, NOLOGIN) count as one option.
    bool negated = o.name.starts_with("no") && o.name != "none";
    std::string key = negated ? o.name.substr(2) : o.name;
    if (!seen.insert(key).second)
      throw SqlError(sqlstate::kSyntaxError, "conflicting or redundant options", {}, {}, o.location + 1);
    if (key == "password") {
      out.password_given = true;
      if (!o.is_null) out.password = o.value;
    } else if (key == "superuser") {
      out.superuser = !negated;
    } else if (key == "createrole") {
      out.create_role = !negated;
    } else if (key == "createdb") {
      out.create_db = !negated;
    } else if (key == "login") {
      out.can_login = !negated;
    } else if (key == "inherit") {
      out.inherit = !negated;
    } else if (key == "replication" || key == "bypassrls") {
      if (!negated) throw SqlError::FeatureNotSupported(std::string(key == "replication" ? "REPLICATION" : "BYPASSRLS") +
                                            " is not supported yet");
    } else if (key == "connectionlimit") {
      int64_t limit = std::stoll(o.value);
      if (limit < -1) throw SqlError(sqlstate::kInvalidParameterValue, "invalid connection limit: " + o.value);
      if (limit != -1) throw SqlError::FeatureNotSupported("CONNECTION LIMIT is not supported yet");
    } else if (key == "validUntil") {
      throw SqlError::FeatureNotSupported("VALID UNTIL is not supported yet");
    } else if (key == "sysid") {
      sink.Notice("NOTICE", "00000", "SYSID can no longer be specified");
    } else if (key == "addroleto") {
      out.in_roles = SplitNames(o.value);
    } else if (key == "rolemembers") {
      out.members = SplitNames(o.value);
    } else {
      out.admins = SplitNames(o.value);
    }
  }
  return out;
}

// What PASSWORD 'x' stores: a SCRAM-SHA-256 verifier of it, or the
// verifier itself when one is given (as PostgreSQL does); "" clears it.
std::string StoredPassword(const std::optional<std::string>& given, ResultSink& sink) {
  if (!given) return {};
  const std::string& text = *given;
  bool is_verifier = scram::ParseVerifier(text).has_value();
  if (text.empty() || (is_verifier && scram::CheckPassword(text, ""))) {
    sink.Notice("NOTICE", "00000", "empty string is not a valid password, clearing password");
    return {};
  }
  if (is_verifier) return text;
  bool md5 = text.size() == 35 && text.starts_with("md5") &&
             text.find_first_not_of("0123456789abcdef", 3) == std::string::npos;
  if (md5) throw SqlError::FeatureNotSupported(
        "MD5 password hashes are not supported: give the password or a SCRAM-SHA-256 verifier");
  return scram::MakeVerifier(text);
}

void Apply(const RoleOptions& options, catalog::RoleInfo& role, ResultSink& sink) {
  if (options.superuser) role.superuser = *options.superuser;
  if (options.create_role) role.create_role = *options.create_role;
  if (options.create_db) role.create_db = *options.create_db;
  if (options.can_login) role.can_login = *options.can_login;
  if (options.inherit) role.inherit = *options.inherit;
  if (options.password_given) role.password = StoredPassword(options.password, sink);
}

// 2BP01 while `role` owns a relation or is named in a privilege list
// (PostgreSQL's shared dependencies: DROP OWNED / REASSIGN OWNED first).
void CheckNothingDependsOn(const catalog::CatalogSnapshot& snapshot, const catalog::RoleInfo& role) {
  std::string detail;
  auto note = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  auto named = [&](const std::optional<catalog::Acl>& acl) {
    if (acl)
      for (const catalog::AclItem& item : *acl)
        if (item.grantee == role.oid || item.grantor == role.oid) return true;
    return false;
  };
  for (const auto& [id, t] : snapshot.Tables()) {
    const char* kind = t.IsView() ? "view " : "table ";
    if (t.owner == role.oid) note(std::string("owner of ") + kind + t.name);
    else if (named(t.acl)) note(std::string("privileges for ") + kind + t.name);
  }
  for (const auto& [key, s] : snapshot.Sequences()) {
    if (s.owner == role.oid) note("owner of sequence " + s.name);
    else if (named(s.acl)) note("privileges for sequence " + s.name);
  }
  for (const auto& [schema, acl] : snapshot.schema_acls_)
    if (named(acl)) note("privileges for schema " + schema);
  if (!detail.empty())
    throw SqlError(sqlstate::kDependentObjectsStillExist,
                   "role \"" + role.name + "\" cannot be dropped because some objects depend on it", detail);
}

}  // namespace

void SqlSession::StartRole(const std::string& user) {
  auto snapshot = db_.Catalog().Snapshot();
  const catalog::RoleInfo* role = snapshot->FindRole(user);
  if (role == nullptr) throw SqlError("28000", "role \"" + user + "\" does not exist");
  if (!role->can_login) throw SqlError("28000", "role \"" + user + "\" is not permitted to log in");
  user_ = role->name;
  role_oid_ = role->oid;
  catalog_view_.SetCurrentUser([this] { return CurrentUser(); });
  settings_.SetSessionUser(role->name, role->superuser);
}

std::string SqlSession::RunRole(const ast::Statement& stmt, ResultSink& sink) {
  const char* tag = stmt.kind == ast::StmtKind::kCreateRole ? "CREATE ROLE"
                    : stmt.kind == ast::StmtKind::kAlterRole ? "ALTER ROLE"
                                                             : "DROP ROLE";
  if (in_block_) throw SqlError::FeatureNotSupported(std::string(tag) +
                                        " inside a transaction block is not supported: role changes take effect at once");
  // Several statements in one simple query form one implicit transaction,
  // which a role change would not be part of (a later failure would not undo it).
  if (implicit_) throw SqlError::FeatureNotSupported(std::string(tag) +
                                        " in a query of several statements is not supported: role changes take effect at once");
  switch (stmt.kind) {
    case ast::StmtKind::kCreateRole: CreateRole(stmt.As<ast::CreateRoleStmt>(), sink); break;
    case ast::StmtKind::kAlterRole: AlterRole(stmt.As<ast::AlterRoleStmt>(), sink); break;
    default: DropRoles(stmt.As<ast::DropRoleStmt>(), sink); break;
  }
  return tag;
}

void SqlSession::CreateRole(const ast::CreateRoleStmt& stmt, ResultSink& sink) {
  if (stmt.name == "public" || stmt.name == "none") throw Reserved(stmt.name);
  RoleOptions options = ReadOptions(stmt.options, sink);
  catalog::RoleInfo me = CurrentRole();
  if (options.superuser.value_or(false)) {
    if (!me.superuser) throw Denied("must be superuser to create superusers");
  } else if (!me.superuser && !me.create_role) {
    throw Denied("permission denied to create role");
  }
  if (IsReservedName(stmt.name)) throw Reserved(stmt.name);
  catalog::RoleInfo role;
  role.name = stmt.name;
  role.can_login = stmt.kind == "USER";
  Apply(options, role, sink);
  // IN ROLE, ROLE and ADMIN name roles that must exist; joining a superuser
  // role takes a superuser (PostgreSQL's AddRoleMems). Checked before the
  // role is made, as it is not undone.
  auto snapshot = db_.Catalog().Snapshot();
  auto find = [&](const std::string& name) {
    const catalog::RoleInfo* found = snapshot->FindRole(name);
    if (found == nullptr) throw SqlError(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
    return found;
  };
  std::vector<catalog::RoleMembership> joins;
  for (const std::string& name : options.in_roles) {
    const catalog::RoleInfo* group = find(name);
    if (group->superuser && !me.superuser) throw Denied("must be superuser to alter superusers");
    joins.push_back({group->oid, me.oid, false});
  }
  std::vector<std::pair<uint32_t, bool>> members;  // role, admin option
  for (const std::string& name : options.members) members.emplace_back(find(name)->oid, false);
  for (const std::string& name : options.admins) members.emplace_back(find(name)->oid, true);
  role.member_of = joins;
  catalog::RoleInfo created = db_.Catalog().CreateRole(role);
  for (const auto& [member_oid, admin] : members) {
    catalog::RoleInfo member = *db_.Catalog().Snapshot()->FindRoleById(member_oid);
    member.member_of.push_back({created.oid, me.oid, admin});
    db_.Catalog().UpdateRole(member.name, member);
  }
}

void SqlSession::AlterRole(const ast::AlterRoleStmt& stmt, ResultSink& sink) {
  auto snapshot = db_.Catalog().Snapshot();
  const catalog::RoleInfo* found = snapshot->FindRole(stmt.name);
  if (found == nullptr) throw SqlError(sqlstate::kUndefinedObject, "role \"" + stmt.name + "\" does not exist");
  catalog::RoleInfo role = *found;
  catalog::RoleInfo me = CurrentRole();
  if (!stmt.new_name.empty()) {
    if (role.oid == role_oid_) throw SqlError::FeatureNotSupported("session user cannot be renamed");
    if (IsReservedName(role.name)) throw Reserved(role.name);
    if (IsReservedName(stmt.new_name)) throw Reserved(stmt.new_name);
    if (snapshot->FindRole(stmt.new_name) != nullptr)
      throw SqlError(sqlstate::kDuplicateObject, "role \"" + stmt.new_name + "\" already exists");
    if (role.superuser) {
      if (!me.superuser) throw Denied("must be superuser to rename superusers");
    } else if (!me.superuser && !me.create_role) {
      throw Denied("permission denied to rename role");
    }
    role.name = stmt.new_name;
    db_.Catalog().UpdateRole(stmt.name, role);
    return;
  }
  RoleOptions options = ReadOptions(stmt.options, sink);
  // Not ALTER ROLE options in PostgreSQL's grammar: membership is GRANT's.
  if (!options.in_roles.empty() || !options.members.empty() || !options.admins.empty())
    throw SqlError::FeatureNotSupported("ALTER ROLE cannot change role membership: use GRANT or REVOKE");
  if (role.superuser || options.superuser) {
    if (!me.superuser) throw Denied("must be superuser to alter superuser roles or change superuser attribute");
  } else if (!me.superuser && !me.create_role) {
    // Without CREATEROLE a role may change its own password only.
    bool own_password = !options.create_role && !options.create_db && !options.can_login && !options.inherit &&
                        options.password_given && role.oid == role_oid_;
    if (!own_password) throw Denied("permission denied");
  }
  Apply(options, role, sink);
  db_.Catalog().UpdateRole(stmt.name, role);
}

void SqlSession::DropRoles(const ast::DropRoleStmt& stmt, ResultSink& sink) {
  catalog::RoleInfo me = CurrentRole();
  if (!me.superuser && !me.create_role) throw Denied("permission denied to drop role");
  // Every role is checked before any is dropped: the statement is all or nothing.
  auto snapshot = db_.Catalog().Snapshot();
  std::vector<std::string> drop;
  for (const std::string& name : stmt.names) {
    const catalog::RoleInfo* role = snapshot->FindRole(name);
    if (role == nullptr) {
      if (!stmt.if_exists) throw SqlError(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
      sink.Notice("NOTICE", "00000", "role \"" + name + "\" does not exist, skipping");
      continue;
    }
    if (role->oid == role_oid_) throw SqlError(kObjectInUse, "current user cannot be dropped");
    if (role->superuser && !me.superuser) throw Denied("must be superuser to drop superusers");
    if (role->oid == catalog::BootstrapRoles().begin()->second.oid)
      throw SqlError(sqlstate::kDependentObjectsStillExist,
                     "cannot drop role " + role->name + " because it is required by the database system");
    CheckNothingDependsOn(*snapshot, *role);
    drop.push_back(name);
  }
  for (const std::string& name : drop) db_.Catalog().DropRole(name);
}

}  // namespace tessera::executor
