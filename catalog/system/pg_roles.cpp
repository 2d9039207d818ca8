// pg_catalog.pg_roles, pg_authid, pg_user and pg_auth_members: the roles of
// the catalog (CREATE ROLE) plus PostgreSQL's predefined pg_database_owner
// (which owns schema public and cannot log in); pg_auth_members has one row
// per GRANT role TO role (kept with the member, RoleInfo::member_of). pg_user lists the roles that can log in; only pg_authid shows the
// stored SCRAM verifier, the others '********'.
#include <algorithm>

#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

// The catalog's roles and pg_database_owner, by OID as PostgreSQL lists them.
std::vector<RoleInfo> AllRoles(const CatalogSnapshot& catalog) {
  std::vector<RoleInfo> roles;
  for (const auto& [name, role] : catalog.Roles()) roles.push_back(role);
  RoleInfo owner;
  owner.oid = kDatabaseOwnerRoleOid;
  owner.name = "pg_database_owner";
  roles.push_back(owner);
  std::sort(roles.begin(), roles.end(), [](const RoleInfo& a, const RoleInfo& b) { return a.oid < b.oid; });
  return roles;
}

// initdb's superuser also has REPLICATION and BYPASSRLS, which CREATE ROLE
// cannot grant yet (0A000).
bool Bootstrap(const RoleInfo& r) { return r.oid == kBootstrapRoleOid; }

Value Password(const RoleInfo& r) { return r.password.empty() ? NullValue() : TextValue(r.password); }

std::vector<Row> MemberRows(const CatalogSnapshot& catalog) {
  std::vector<Row> rows;
  for (const auto& [name, role] : catalog.Roles())
    for (const RoleMembership& m : role.member_of)
      rows.push_back({OidValue(m.role), OidValue(role.oid), OidValue(m.grantor), BoolValue(m.admin_option)});
  return rows;
}

std::vector<Row> RolesRows(const CatalogSnapshot& catalog) {
  std::vector<Row> rows;
  for (const RoleInfo& r : AllRoles(catalog))
    rows.push_back({NameValue(r.name), BoolValue(r.superuser), BoolValue(r.inherit), BoolValue(r.create_role),
                    BoolValue(r.create_db), BoolValue(r.can_login), BoolValue(Bootstrap(r)), Int4Value(-1),
                    TextValue("********"), NullValue(), BoolValue(Bootstrap(r)), NullValue(), OidValue(r.oid)});
  return rows;
}

std::vector<Row> AuthidRows(const CatalogSnapshot& catalog) {
  std::vector<Row> rows;
  for (const RoleInfo& r : AllRoles(catalog))
    rows.push_back({OidValue(r.oid), NameValue(r.name), BoolValue(r.superuser), BoolValue(r.inherit),
                    BoolValue(r.create_role), BoolValue(r.create_db), BoolValue(r.can_login),
                    BoolValue(Bootstrap(r)), BoolValue(Bootstrap(r)), Int4Value(-1), Password(r), NullValue()});
  return rows;
}

std::vector<Row> UserRows(const CatalogSnapshot& catalog) {
  std::vector<Row> rows;
  for (const RoleInfo& r : AllRoles(catalog)) {
    if (!r.can_login) continue;
    rows.push_back({NameValue(r.name), OidValue(r.oid), BoolValue(r.create_db), BoolValue(r.superuser),
                    BoolValue(Bootstrap(r)), BoolValue(Bootstrap(r)), TextValue("********"), NullValue(),
                    NullValue()});
  }
  return rows;
}


}  // namespace

extern const SystemRelation kPgRoles{
    "pg_catalog", "pg_roles", 12001,
    {{"rolname", "name"},          {"rolsuper", "boolean"},     {"rolinherit", "boolean"},
     {"rolcreaterole", "boolean"}, {"rolcreatedb", "boolean"},  {"rolcanlogin", "boolean"},
     {"rolreplication", "boolean"}, {"rolconnlimit", "integer"}, {"rolpassword", "text"},
     {"rolvaliduntil", "timestamp with time zone"}, {"rolbypassrls", "boolean"}, {"rolconfig", "text[]"},
     {"oid", "oid"}},
    RolesRows};

extern const SystemRelation kPgAuthid{
    "pg_catalog", "pg_authid", 1260,
    {{"oid", "oid"},                {"rolname", "name"},          {"rolsuper", "boolean"},
     {"rolinherit", "boolean"},     {"rolcreaterole", "boolean"}, {"rolcreatedb", "boolean"},
     {"rolcanlogin", "boolean"},    {"rolreplication", "boolean"}, {"rolbypassrls", "boolean"},
     {"rolconnlimit", "integer"},   {"rolpassword", "text"},      {"rolvaliduntil", "timestamp with time zone"}},
    AuthidRows};

extern const SystemRelation kPgUser{
    "pg_catalog", "pg_user", 12002,
    {{"usename", "name"},         {"usesysid", "oid"},        {"usecreatedb", "boolean"},
     {"usesuper", "boolean"},     {"userepl", "boolean"},     {"usebypassrls", "boolean"},
     {"passwd", "text"},          {"valuntil", "timestamp with time zone"}, {"useconfig", "text[]"}},
    UserRows};

extern const SystemRelation kPgAuthMembers{
    "pg_catalog", "pg_auth_members", 1261,
    {{"roleid", "oid"}, {"member", "oid"}, {"grantor", "oid"}, {"admin_option", "boolean"}},
    MemberRows};

}  // namespace tessera::catalog::system
