// Access control lists (catalog/acl.h): the default lists, the text form
// pg_class.relacl shows, and what a role holds through ownership, PUBLIC,
// membership (INHERIT only) and grant options.
#include <gtest/gtest.h>

#include "catalog/acl.h"
#include "catalog/catalog.h"

namespace tessera::catalog {
namespace {

CatalogSnapshot Roles() {
  CatalogSnapshot s;
  s.roles_ = BootstrapRoles();  // tessera, OID 10, superuser
  auto add = [&](uint32_t oid, const std::string& name, bool inherit, std::vector<RoleMembership> member_of) {
    RoleInfo r;
    r.oid = oid;
    r.name = name;
    r.inherit = inherit;
    r.member_of = std::move(member_of);
    s.roles_.emplace(name, r);
  };
  add(100, "owner", true, {});
  add(101, "group", true, {});
  add(102, "member", true, {{101, 10, false}});
  add(103, "noinherit", false, {{101, 10, false}});
  add(104, "odd name", true, {});
  return s;
}

TEST(AclTest, DefaultsAndTextForm) {
  CatalogSnapshot s = Roles();
  EXPECT_EQ(AclText(DefaultAcl(ObjectKind::kTable, 100), s), "{owner=arwdDxt/owner}");
  EXPECT_EQ(AclText(DefaultAcl(ObjectKind::kSequence, 100), s), "{owner=rwU/owner}");
  EXPECT_EQ(AclText(SchemaAcl(s, "public"), s), "{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}");
  Acl acl = DefaultAcl(ObjectKind::kTable, 100);
  acl.push_back({kPublicRoleOid, 100, privilege::kSelect, 0});
  acl.push_back({104, 100, privilege::kInsert | privilege::kSelect, privilege::kSelect});
  EXPECT_EQ(AclText(acl, s), "{owner=arwdDxt/owner,=r/owner,\"odd name\"=ar*/owner}");
}

TEST(AclTest, HeldThroughOwnerPublicAndInheritedMembership) {
  CatalogSnapshot s = Roles();
  Acl acl = DefaultAcl(ObjectKind::kTable, 100);
  acl.push_back({101, 100, privilege::kUpdate, 0});
  acl.push_back({kPublicRoleOid, 100, privilege::kSelect, 0});
  constexpr uint32_t kAll = privilege::kAllTable;
  EXPECT_EQ(HeldPrivileges(s, acl, 100, 100, kAll), kAll);  // owner
  EXPECT_EQ(HeldPrivileges(s, acl, 100, 10, kAll), kAll);   // superuser
  EXPECT_EQ(HeldPrivileges(s, acl, 100, 102, kAll), privilege::kUpdate | privilege::kSelect);  // via group
  EXPECT_EQ(HeldPrivileges(s, acl, 100, 103, kAll), privilege::kSelect);  // NOINHERIT: PUBLIC only
  EXPECT_TRUE(IsMemberOf(s, 103, 101, false));   // SET ROLE still may
  EXPECT_FALSE(IsMemberOf(s, 103, 101, true));
  EXPECT_FALSE(RolesContain(s, 101, 102));        // no cycle from group to member
  EXPECT_EQ(HeldPrivileges(s, acl, 100, 102, kAll, true), 0u);  // no grant options
  EXPECT_EQ(HeldPrivileges(s, acl, 100, 100, kAll, true), kAll);
}

}  // namespace
}  // namespace tessera::catalog
