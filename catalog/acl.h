// Privileges: who may do what to a table, view, sequence or schema, and who
// is a member of which role. PostgreSQL's model (utils/acl.h): an object has
// an owner and an access control list of items "grantee=privileges/grantor",
// each privilege possibly with its grant option; an object whose list was
// never changed has the default one (the owner holds everything, for the
// public schema also PUBLIC holds USAGE), and shows NULL in pg_class.relacl.
// A role has the privileges of the roles it is a member of (INHERIT), and
// superusers skip every check. Everything here is pure: it reads one catalog
// snapshot, so every gateway of a cluster answers alike for one version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::catalog {

class CatalogSnapshot;
struct TableInfo;
struct SequenceInfo;

// Privilege bits, PostgreSQL's (ACL_INSERT = 1 << 0, ...), so the letters
// "arwdDxtXUCTc" index them in order.
namespace privilege {
inline constexpr uint32_t kInsert = 1u << 0;      // a
inline constexpr uint32_t kSelect = 1u << 1;      // r
inline constexpr uint32_t kUpdate = 1u << 2;      // w
inline constexpr uint32_t kDelete = 1u << 3;      // d
inline constexpr uint32_t kTruncate = 1u << 4;    // D
inline constexpr uint32_t kReferences = 1u << 5;  // x
inline constexpr uint32_t kTrigger = 1u << 6;     // t
inline constexpr uint32_t kUsage = 1u << 8;       // U
inline constexpr uint32_t kCreate = 1u << 9;      // C
inline constexpr uint32_t kAllTable = kInsert | kSelect | kUpdate | kDelete | kTruncate | kReferences | kTrigger;
inline constexpr uint32_t kAllSequence = kUsage | kSelect | kUpdate;
inline constexpr uint32_t kAllSchema = kUsage | kCreate;
}  // namespace privilege

inline constexpr uint32_t kPublicRoleOid = 0;  // grantee PUBLIC

struct AclItem {
  uint32_t grantee = kPublicRoleOid;
  uint32_t grantor = 0;
  uint32_t privileges = 0;
  uint32_t grant_options = 0;  // a subset of privileges

  friend bool operator==(const AclItem&, const AclItem&) = default;
};
using Acl = std::vector<AclItem>;

enum class ObjectKind : uint8_t { kTable, kSequence, kSchema };

// What an object of `kind` owned by `owner` grants when its list was never
// changed (PostgreSQL's acldefault; the public schema's is PUBLIC USAGE too).
Acl DefaultAcl(ObjectKind kind, uint32_t owner);
// The list as stored, or the default when none is.
Acl EffectiveAcl(const std::optional<Acl>& acl, ObjectKind kind, uint32_t owner);
// PostgreSQL's text form: {tessera=arwdDxt/tessera,=r/tessera}; role names
// looked up in `snapshot` (an OID when the role is gone).
std::string AclText(const Acl& acl, const CatalogSnapshot& snapshot);
// The letter of a single privilege bit; "" for a combination.
std::string PrivilegeLetters(uint32_t privileges);

// Whether `member` is `role` or a member of it, directly or through other
// roles. `inherit_only`: only through roles with INHERIT (PostgreSQL's
// has_privs_of_role; without it, is_member_of_role as SET ROLE uses).
bool IsMemberOf(const CatalogSnapshot& snapshot, uint32_t member, uint32_t role, bool inherit_only);
// The same without the superuser shortcut, through every membership: GRANT
// role uses it to refuse cycles.
bool RolesContain(const CatalogSnapshot& snapshot, uint32_t member, uint32_t role);
bool IsSuperuser(const CatalogSnapshot& snapshot, uint32_t role);

// The privileges of `mask` that `role` holds on an object (as owner through
// the default list, through the list, PUBLIC's, or a role it inherits);
// superusers hold all of them. `grant_options`: the grant options instead.
uint32_t HeldPrivileges(const CatalogSnapshot& snapshot, const Acl& acl, uint32_t owner, uint32_t role, uint32_t mask,
                        bool grant_options = false);

// The owner and list of a schema (the three Tessera has).
uint32_t SchemaOwner(const std::string& schema);
Acl SchemaAcl(const CatalogSnapshot& snapshot, const std::string& schema);

// The effective lists of a table (or view) and a sequence.
Acl TableAcl(const TableInfo& table);
Acl SequenceAcl(const SequenceInfo& sequence);

// 42501 unless `role` holds every privilege of `mask` on the relation:
// "permission denied for table t" (view v); for a sequence any one of
// `mask` will do (nextval takes USAGE or UPDATE, currval SELECT or USAGE).
void CheckTablePrivileges(const CatalogSnapshot& snapshot, const TableInfo& table, uint32_t role, uint32_t mask);
void CheckSequencePrivileges(const CatalogSnapshot& snapshot, const SequenceInfo& sequence, uint32_t role,
                             uint32_t mask);
void CheckSchemaPrivileges(const CatalogSnapshot& snapshot, const std::string& schema, uint32_t role, uint32_t mask);

}  // namespace tessera::catalog
