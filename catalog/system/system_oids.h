// OIDs of the objects Tessera's catalog holds, as pg_catalog shows them.
//
// Stable by construction, with no stored state: a table's OID is its table
// id (user ids start at 16384, as PostgreSQL's FirstNormalObjectId); every
// other object's OID is derived from ids the catalog already keeps, in a
// range of its own so two kinds never collide. Built-in types, namespaces,
// the bootstrap role and access methods keep PostgreSQL's own OIDs, so
// drivers that hard-code them (pgjdbc, psycopg) see what they expect.
#pragma once

#include <cstdint>
#include <string>

#include "catalog/catalog.h"
#include "common/temp_schema.h"

namespace tessera::catalog::system {

inline constexpr uint32_t kPgCatalogNamespaceOid = 11;
inline constexpr uint32_t kPublicNamespaceOid = 2200;
inline constexpr uint32_t kInformationSchemaNamespaceOid = 13000;
inline constexpr uint32_t kBootstrapRoleOid = 10;
// The bootstrap superuser every new catalog has (catalog::BootstrapRoles);
// it owns every table until tables have owners.
inline constexpr const char* kBootstrapRoleName = "tessera";
inline constexpr const char* kDatabaseName = "tessera";
inline constexpr uint32_t kDatabaseOwnerRoleOid = 6171;  // owns schema public
inline constexpr uint32_t kDatabaseOid = 5;  // PostgreSQL's "postgres" database
inline constexpr uint32_t kHeapAmOid = 2;
inline constexpr uint32_t kBtreeAmOid = 403;
inline constexpr uint32_t kDefaultCollationOid = 100;

// Secondary index `index_id` (catalog ids start at 1).
inline uint32_t IndexOid(uint32_t index_id) { return 1'000'000'000u + index_id; }
// The primary key's index of table `table_id`, and its pg_constraint row.
inline uint32_t PrimaryIndexOid(uint32_t table_id) { return 2'000'000'000u + table_id; }
inline uint32_t PrimaryConstraintOid(uint32_t table_id) { return 2'500'000'000u + table_id; }
// A unique index's pg_constraint row (CREATE TABLE's UNIQUE).
inline uint32_t UniqueConstraintOid(uint32_t index_id) { return 1'500'000'000u + index_id; }
// Column `attnum`'s default (pg_attrdef); tables have at most 1600 columns.
inline uint32_t AttrDefOid(uint32_t table_id, int attnum) {
  return 3'000'000'000u + (table_id - 16384u) * 1600u + static_cast<uint32_t>(attnum);
}
// Sequences have no catalog id: a hash of the qualified name, in its own
// range; names are never reused by a live sequence, so it is stable.
uint32_t SequenceOid(const SequenceInfo& sequence);

// A foreign key's pg_constraint row: a hash of its table and name, in a
// range of its own (constraint names are unique per table).
uint32_t ForeignKeyConstraintOid(uint32_t table_id, const std::string& name);

// Built-in function number `index` in the registry (common/builtin_functions.h).
inline uint32_t ProcOid(size_t index) { return 3'900'000'000u + static_cast<uint32_t>(index); }

// Temp schemas' OIDs: TempNamespaceOid (common/temp_schema.h).
uint32_t NamespaceOid(const std::string& schema);
std::string NamespaceName(uint32_t oid);  // empty if unknown

}  // namespace tessera::catalog::system
