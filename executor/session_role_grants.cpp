// Role membership: GRANT role TO role, REVOKE role FROM role (PostgreSQL
// 15's AddRoleMems / DelRoleMems in commands/user.c), and SET ROLE / RESET
// ROLE (check_role in commands/variable.c). A member has the privileges of
// the roles it is a member of (acl.h); SET ROLE changes current_user, not
// session_user. Membership is a catalog change at once, as other role
// changes, so it is refused inside a transaction block.
#include "catalog/acl.h"
#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

constexpr const char* kInvalidGrantOperation = "0LP01";

SqlError Denied(const std::string& message) { return SqlError(sqlstate::kInsufficientPrivilege, message); }

}  // namespace

std::string SqlSession::CurrentUser() const {
  std::string role = settings_.Show("role");
  return role == "none" ? user_ : role;
}

catalog::RoleInfo SqlSession::CurrentRole() const {
  auto snapshot = db_.Catalog().Snapshot();
  std::string role = settings_.Show("role");
  const catalog::RoleInfo* found = role == "none" ? snapshot->FindRoleById(role_oid_) : snapshot->FindRole(role);
  if (found == nullptr)
    throw SqlError(sqlstate::kUndefinedObject, "role \"" + (role == "none" ? user_ : role) + "\" does not exist");
  return *found;
}

void SqlSession::SetRole(const ast::SetStmt& set) {
  std::string name = set.values.empty() || set.to_default ? "none" : set.values[0];
  auto snapshot = db_.Catalog().Snapshot();
  const catalog::RoleInfo* role = snapshot->FindRole(name == "none" ? user_ : name);
  if (name != "none") {
    if (role == nullptr) throw SqlError(sqlstate::kInvalidParameterValue, "role \"" + name + "\" does not exist");
    // Membership is checked for the session user, whatever role is current
    // (is_member_of_role: NOINHERIT memberships count too).
    if (!catalog::IsMemberOf(*snapshot, role_oid_, role->oid, false))
      throw Denied("permission denied to set role \"" + name + "\"");
  }
  settings_.Set("role", {name});
  settings_.SetCurrentSuperuser(role != nullptr && role->superuser);
}

std::string SqlSession::RunGrantRole(const ast::GrantRoleStmt& stmt, ResultSink& sink) {
  const char* tag = stmt.is_grant ? "GRANT ROLE" : "REVOKE ROLE";
  if (in_block_ || implicit_)
    throw SqlError::FeatureNotSupported(std::string(stmt.is_grant ? "GRANT" : "REVOKE") +
                                        " of a role inside a transaction block is not supported: role changes take effect at once");
  if (stmt.granted_by) throw SqlError::FeatureNotSupported("GRANTED BY is not supported yet");
  auto snapshot = db_.Catalog().Snapshot();
  catalog::RoleInfo me = CurrentRole();
  std::vector<const catalog::RoleInfo*> members;
  for (const ast::RoleSpec& spec : stmt.grantees) {
    if (spec.kind == ast::RoleSpec::Kind::kPublic)
      throw SqlError(sqlstate::kUndefinedObject, "role \"public\" does not exist");
    members.push_back(snapshot->FindRoleById(ResolveRoleSpec(*snapshot, spec)));
  }
  for (const std::string& name : stmt.roles) {
    const catalog::RoleInfo* role = snapshot->FindRole(name);
    if (role == nullptr) throw SqlError(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
    // Who may: superusers for superuser roles; else CREATEROLE or the role's admin option.
    bool admin = false;
    for (const catalog::RoleMembership& m : me.member_of) admin = admin || (m.role == role->oid && m.admin_option);
    if (role->superuser) {
      if (!me.superuser) throw Denied("must be superuser to alter superusers");
    } else if (!me.superuser && !me.create_role && !admin) {
      throw Denied("must have admin option on role \"" + name + "\"");
    }
    for (const catalog::RoleInfo* member : members) {
      catalog::RoleInfo updated = *db_.Catalog().Snapshot()->FindRoleById(member->oid);
      auto it = std::find_if(updated.member_of.begin(), updated.member_of.end(),
                             [&](const catalog::RoleMembership& m) { return m.role == role->oid; });
      if (stmt.is_grant) {
        // No cycles: the role must not already be (or be a member of) the member.
        auto now = db_.Catalog().Snapshot();
        if (catalog::RolesContain(*now, role->oid, member->oid))
          throw SqlError(kInvalidGrantOperation,
                         "role \"" + member->name + "\" is a member of role \"" + role->name + "\"");
        if (it != updated.member_of.end() && (it->admin_option || !stmt.admin_option)) {
          sink.Notice("NOTICE", "00000",
                      "role \"" + member->name + "\" is already a member of role \"" + role->name + "\"");
          continue;
        }
        if (it != updated.member_of.end()) it->admin_option = true;
        else updated.member_of.push_back({role->oid, me.oid, stmt.admin_option});
      } else {
        if (it == updated.member_of.end()) {
          sink.Notice("WARNING", "01000",
                      "role \"" + member->name + "\" is not a member of role \"" + role->name + "\"");
          continue;
        }
        if (stmt.admin_option) it->admin_option = false;
        else updated.member_of.erase(it);
      }
      db_.Catalog().UpdateRole(updated.name, updated);
    }
  }
  return tag;
}

}  // namespace tessera::executor
