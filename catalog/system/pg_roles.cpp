// pg_catalog.pg_roles, pg_authid, pg_user and pg_auth_members: Tessera has
// no roles yet, so one superuser (kBootstrapRoleName, OID 10) owns every
// object but schema public, and no role is a member of another. pg_user
// lists the roles that can log in.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

// The superuser, and PostgreSQL's predefined pg_database_owner (which owns
// schema public and cannot log in).
struct Role {
  uint32_t oid;
  const char* name;
  bool super;
};
constexpr Role kRoles[] = {{kBootstrapRoleOid, kBootstrapRoleName, true},
                           {kDatabaseOwnerRoleOid, "pg_database_owner", false}};

std::vector<Row> RolesRows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  for (const Role& r : kRoles)
    rows.push_back({NameValue(r.name), BoolValue(r.super), BoolValue(true), BoolValue(r.super), BoolValue(r.super),
                    BoolValue(r.super), BoolValue(r.super), Int4Value(-1), TextValue("********"), NullValue(),
                    BoolValue(r.super), NullValue(), OidValue(r.oid)});
  return rows;
}

std::vector<Row> AuthidRows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  for (const Role& r : kRoles)
    rows.push_back({OidValue(r.oid), NameValue(r.name), BoolValue(r.super), BoolValue(true), BoolValue(r.super),
                    BoolValue(r.super), BoolValue(r.super), BoolValue(r.super), BoolValue(r.super), Int4Value(-1),
                    NullValue(), NullValue()});
  return rows;
}

std::vector<Row> UserRows(const CatalogSnapshot&) {
  return {{NameValue(kBootstrapRoleName), OidValue(kBootstrapRoleOid), BoolValue(true), BoolValue(true),
           BoolValue(true), BoolValue(true), TextValue("********"), NullValue(), NullValue()}};
}

std::vector<Row> NoRows(const CatalogSnapshot&) { return {}; }

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
    NoRows};

}  // namespace tessera::catalog::system
