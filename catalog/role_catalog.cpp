// Roles in the catalog document: lookups, the bootstrap superuser, and the
// role changes of DocumentCatalog. Roles travel in the same JSON document as
// tables (catalog_json.cpp), so every gateway of a cluster sees the same
// roles as soon as etcd reports the new version.
#include "catalog/catalog.h"
#include "catalog/document_catalog.h"
#include "catalog/system/system_oids.h"
#include "common/error.h"

namespace tessera::catalog {

namespace {

SqlError RoleExists(const std::string& name) {
  return SqlError(sqlstate::kDuplicateObject, "role \"" + name + "\" already exists");
}

SqlError RoleMissing(const std::string& name) {
  return SqlError(sqlstate::kUndefinedObject, "role \"" + name + "\" does not exist");
}

}  // namespace

const RoleInfo* CatalogSnapshot::FindRole(const std::string& name) const {
  auto it = roles_.find(name);
  return it == roles_.end() ? nullptr : &it->second;
}

const RoleInfo* CatalogSnapshot::FindRoleById(uint32_t oid) const {
  for (const auto& [name, role] : roles_)
    if (role.oid == oid) return &role;
  return nullptr;
}

std::map<std::string, RoleInfo> BootstrapRoles() {
  RoleInfo tessera;
  tessera.oid = system::kBootstrapRoleOid;
  tessera.name = system::kBootstrapRoleName;
  tessera.superuser = tessera.create_role = tessera.create_db = tessera.can_login = true;
  return {{tessera.name, tessera}};
}

RoleInfo Catalog::CreateRole(RoleInfo role) {
  (void)role;
  throw SqlError::FeatureNotSupported("roles are not supported by this catalog");
}

void Catalog::UpdateRole(const std::string& name, const RoleInfo& role) {
  (void)name;
  (void)role;
  throw SqlError::FeatureNotSupported("roles are not supported by this catalog");
}

bool Catalog::DropRole(const std::string& name) {
  (void)name;
  throw SqlError::FeatureNotSupported("roles are not supported by this catalog");
}

RoleInfo DocumentCatalog::CreateRole(RoleInfo role) {
  Change([&](StoredCatalog& next) {
    if (next.snapshot.roles_.count(role.name) != 0) throw RoleExists(role.name);
    // Role OIDs come from the table id counter: one OID space, as in PostgreSQL.
    role.oid = AllocateTableId();
    next.snapshot.roles_.emplace(role.name, role);
  });
  return role;
}

void DocumentCatalog::UpdateRole(const std::string& name, const RoleInfo& role) {
  Change([&](StoredCatalog& next) {
    auto it = next.snapshot.roles_.find(name);
    if (it == next.snapshot.roles_.end()) throw RoleMissing(name);
    RoleInfo updated = role;
    updated.oid = it->second.oid;
    if (updated.name != name) {
      if (next.snapshot.roles_.count(updated.name) != 0) throw RoleExists(updated.name);
      next.snapshot.roles_.erase(it);
      next.snapshot.roles_.emplace(updated.name, updated);
    } else {
      it->second = updated;
    }
  });
}

bool DocumentCatalog::DropRole(const std::string& name) {
  bool dropped = false;
  Change([&](StoredCatalog& next) {
    auto it = next.snapshot.roles_.find(name);
    if (it == next.snapshot.roles_.end()) return;
    uint32_t oid = it->second.oid;
    next.snapshot.roles_.erase(it);
    dropped = true;
    // Its memberships go with it, both ways (PostgreSQL deletes its pg_auth_members rows).
    for (auto& [other_name, other] : next.snapshot.roles_)
      std::erase_if(other.member_of, [oid](const RoleMembership& m) { return m.role == oid; });
  });
  return dropped;
}

void Catalog::SetSchemaAcl(const std::string& schema, const Acl& acl) {
  (void)schema;
  (void)acl;
  throw SqlError::FeatureNotSupported("privileges are not supported by this catalog");
}

void DocumentCatalog::SetSchemaAcl(const std::string& schema, const Acl& acl) {
  Change([&](StoredCatalog& next) { next.snapshot.schema_acls_[schema] = acl; });
}

}  // namespace tessera::catalog
