// Access control lists and role membership (acl.h), after PostgreSQL 15's
// utils/adt/acl.c: aclmask, has_privs_of_role, is_member_of_role, aclitemout.
#include "catalog/acl.h"

#include <set>

#include "catalog/catalog.h"
#include "catalog/system/system_oids.h"
#include "common/error.h"

namespace tessera::catalog {

namespace {

constexpr const char* kLetters = "arwdDxtXUCTc";

std::string RoleText(const CatalogSnapshot& snapshot, uint32_t oid) {
  if (oid == system::kDatabaseOwnerRoleOid) return "pg_database_owner";
  const RoleInfo* role = snapshot.FindRoleById(oid);
  if (role == nullptr) return std::to_string(oid);
  // aclitemout quotes a name as putid does: unless it is all alphanumerics or '_'.
  bool plain = !role->name.empty();
  for (char c : role->name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  if (plain) return role->name;
  std::string out = "\"";
  for (char c : role->name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string ItemText(const AclItem& item, const CatalogSnapshot& snapshot) {
  std::string out = item.grantee == kPublicRoleOid ? "" : RoleText(snapshot, item.grantee);
  out += "=";
  for (int bit = 0; kLetters[bit] != '\0'; ++bit) {
    if ((item.privileges & (1u << bit)) == 0) continue;
    out += kLetters[bit];
    if ((item.grant_options & (1u << bit)) != 0) out += "*";
  }
  return out + "/" + RoleText(snapshot, item.grantor);
}

// The roles whose privileges `role` has (itself first), through INHERIT
// roles only when `inherit_only`.
std::set<uint32_t> RolesOf(const CatalogSnapshot& snapshot, uint32_t role, bool inherit_only) {
  std::set<uint32_t> seen{role};
  std::vector<uint32_t> todo{role};
  // The database owner is a member of pg_database_owner (PostgreSQL 15).
  if (role == system::kBootstrapRoleOid && seen.insert(system::kDatabaseOwnerRoleOid).second)
    todo.push_back(system::kDatabaseOwnerRoleOid);
  while (!todo.empty()) {
    uint32_t current = todo.back();
    todo.pop_back();
    const RoleInfo* info = snapshot.FindRoleById(current);
    if (info == nullptr || (inherit_only && !info->inherit)) continue;
    for (const RoleMembership& m : info->member_of)
      if (seen.insert(m.role).second) todo.push_back(m.role);
  }
  return seen;
}

}  // namespace

Acl DefaultAcl(ObjectKind kind, uint32_t owner) {
  uint32_t all = kind == ObjectKind::kTable      ? privilege::kAllTable
                 : kind == ObjectKind::kSequence ? privilege::kAllSequence
                                                 : privilege::kAllSchema;
  return {AclItem{owner, owner, all, 0}};
}

Acl EffectiveAcl(const std::optional<Acl>& acl, ObjectKind kind, uint32_t owner) {
  return acl ? *acl : DefaultAcl(kind, owner);
}

std::string AclText(const Acl& acl, const CatalogSnapshot& snapshot) {
  std::string out = "{";
  for (size_t i = 0; i < acl.size(); ++i) out += (i ? "," : "") + ItemText(acl[i], snapshot);
  return out + "}";
}

std::string PrivilegeLetters(uint32_t privileges) {
  std::string out;
  for (int bit = 0; kLetters[bit] != '\0'; ++bit)
    if ((privileges & (1u << bit)) != 0) out += kLetters[bit];
  return out;
}

bool IsMemberOf(const CatalogSnapshot& snapshot, uint32_t member, uint32_t role, bool inherit_only) {
  if (member == role || IsSuperuser(snapshot, member)) return true;
  return RolesOf(snapshot, member, inherit_only).count(role) != 0;
}

bool RolesContain(const CatalogSnapshot& snapshot, uint32_t member, uint32_t role) {
  return RolesOf(snapshot, member, false).count(role) != 0;
}

bool IsSuperuser(const CatalogSnapshot& snapshot, uint32_t role) {
  const RoleInfo* info = snapshot.FindRoleById(role);
  return info != nullptr && info->superuser;
}

uint32_t HeldPrivileges(const CatalogSnapshot& snapshot, const Acl& acl, uint32_t owner, uint32_t role, uint32_t mask,
                        bool grant_options) {
  if (IsSuperuser(snapshot, role)) return mask;
  std::set<uint32_t> roles = RolesOf(snapshot, role, true);
  uint32_t held = 0;
  // The owner may always grant what the list gives it (and nothing is lost
  // by a list that names it no more: PostgreSQL's owner keeps its grant
  // options implicitly as well).
  if (grant_options && roles.count(owner) != 0) {
    for (const AclItem& item : acl)
      if (item.grantee == owner) held |= item.privileges;
  }
  for (const AclItem& item : acl) {
    if (item.grantee != kPublicRoleOid && roles.count(item.grantee) == 0) continue;
    held |= grant_options ? item.grant_options : item.privileges;
  }
  return held & mask;
}

uint32_t SchemaOwner(const std::string& schema) {
  return schema == "public" ? system::kDatabaseOwnerRoleOid : system::kBootstrapRoleOid;
}

Acl SchemaAcl(const CatalogSnapshot& snapshot, const std::string& schema) {
  auto it = snapshot.schema_acls_.find(schema);
  if (it != snapshot.schema_acls_.end()) return it->second;
  uint32_t owner = SchemaOwner(schema);
  Acl acl = DefaultAcl(ObjectKind::kSchema, owner);
  // public and pg_catalog (and information_schema) are usable by everyone.
  acl.push_back(AclItem{kPublicRoleOid, owner, privilege::kUsage, 0});
  return acl;
}

Acl TableAcl(const TableInfo& table) { return EffectiveAcl(table.acl, ObjectKind::kTable, table.owner); }
Acl SequenceAcl(const SequenceInfo& sequence) {
  return EffectiveAcl(sequence.acl, ObjectKind::kSequence, sequence.owner);
}

void CheckTablePrivileges(const CatalogSnapshot& snapshot, const TableInfo& table, uint32_t role, uint32_t mask) {
  if (HeldPrivileges(snapshot, TableAcl(table), table.owner, role, mask) == mask) return;
  throw SqlError(sqlstate::kInsufficientPrivilege,
                 std::string("permission denied for ") + (table.IsView() ? "view " : "table ") + table.name);
}

void CheckSequencePrivileges(const CatalogSnapshot& snapshot, const SequenceInfo& sequence, uint32_t role,
                             uint32_t mask) {
  if (HeldPrivileges(snapshot, SequenceAcl(sequence), sequence.owner, role, mask) != 0) return;
  throw SqlError(sqlstate::kInsufficientPrivilege, "permission denied for sequence " + sequence.name);
}

void CheckSchemaPrivileges(const CatalogSnapshot& snapshot, const std::string& schema, uint32_t role, uint32_t mask) {
  if (HeldPrivileges(snapshot, SchemaAcl(snapshot, schema), SchemaOwner(schema), role, mask) == mask) return;
  throw SqlError(sqlstate::kInsufficientPrivilege, "permission denied for schema " + schema);
}

}  // namespace tessera::catalog
