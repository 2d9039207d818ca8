// pg_catalog.pg_class: every table, view, index and sequence of the snapshot,
// and the virtual system relations themselves (as views, relkind 'v').
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"
#include "common/temp_schema.h"

namespace tessera::catalog::system {
namespace {

int ColumnCount(const ClassEntry& e) {
  if (e.system) return static_cast<int>(e.system->columns.size());
  if (e.kind == 'S') return 3;  // last_value, log_cnt, is_called
  if (e.kind == 'i') return static_cast<int>(IndexColumns(e).size());
  return static_cast<int>(e.table->columns.size());
}

bool HasIndex(const ClassEntry& e) {
  return e.kind == 'r' && e.table && (!e.table->primary_key.empty() || !e.table->indexes.empty());
}

// relhastriggers: PostgreSQL enforces a foreign key with triggers on both
// tables, and pg_dump looks for foreign keys only where this is set.
bool HasForeignKeys(const ClassEntry& e, const CatalogSnapshot& snapshot) {
  if (e.kind != 'r' || !e.table) return false;
  return !e.table->foreign_keys.empty() || !ReferencingKeys(snapshot, e.table->id).empty();
}

// An index has its table's owner; system relations the bootstrap superuser.
uint32_t Owner(const ClassEntry& e) {
  if (e.sequence) return e.sequence->owner;
  if (e.table) return e.table->owner;
  return kBootstrapRoleOid;
}

// relacl: NULL until a GRANT or REVOKE changes the default, then its text form
// (aclitem[] is text here: Tessera has no array types yet).
Value Acl(const ClassEntry& e, const CatalogSnapshot& snapshot) {
  if (e.kind == 'i') return NullValue();
  if (e.sequence && e.sequence->acl) return TextValue(AclText(*e.sequence->acl, snapshot));
  if (!e.sequence && e.table && e.table->acl) return TextValue(AclText(*e.table->acl, snapshot));
  return NullValue();
}

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot)) {
    uint32_t am = e.kind == 'i' ? kBtreeAmOid : (e.kind == 'r' || e.kind == 'S') ? kHeapAmOid : 0;
    rows.push_back({
        OidValue(e.oid), NameValue(e.name), OidValue(NamespaceOid(e.schema)),
        OidValue(0),                                  // reltype: no composite row types
        OidValue(0), OidValue(Owner(e)), OidValue(am),
        OidValue(e.kind == 'v' ? 0 : e.oid),          // relfilenode
        OidValue(0), Int4Value(0), Value::Float4(-1), Int4Value(0), OidValue(0),
        BoolValue(HasIndex(e)), BoolValue(false),
        CharValue(IsTempSchema(e.schema) ? 't' : 'p'), CharValue(e.kind), Int2Value(ColumnCount(e)),
        Int2Value(e.kind == 'r' && e.table ? static_cast<int>(e.table->checks.size()) : 0),  // relchecks
        BoolValue(e.kind == 'v'),                     // relhasrules: views have their _RETURN rule
        BoolValue(HasForeignKeys(e, snapshot)),       // relhastriggers: PostgreSQL's foreign keys are triggers
        BoolValue(false), BoolValue(false), BoolValue(false), BoolValue(true),
        CharValue(e.kind == 'r' ? 'd' : 'n'), BoolValue(false), OidValue(0),
        OidValue(0), OidValue(0), Acl(e, snapshot), NullValue(), NullValue(),
    });
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgClass{
    "pg_catalog", "pg_class", 1259,
    {{"oid", "oid"},           {"relname", "name"},           {"relnamespace", "oid"},
     {"reltype", "oid"},       {"reloftype", "oid"},          {"relowner", "oid"},
     {"relam", "oid"},         {"relfilenode", "oid"},        {"reltablespace", "oid"},
     {"relpages", "integer"},  {"reltuples", "real"},         {"relallvisible", "integer"},
     {"reltoastrelid", "oid"}, {"relhasindex", "boolean"},    {"relisshared", "boolean"},
     {"relpersistence", "\"char\""}, {"relkind", "\"char\""}, {"relnatts", "smallint"},
     {"relchecks", "smallint"}, {"relhasrules", "boolean"},   {"relhastriggers", "boolean"},
     {"relhassubclass", "boolean"}, {"relrowsecurity", "boolean"}, {"relforcerowsecurity", "boolean"},
     {"relispopulated", "boolean"}, {"relreplident", "\"char\""}, {"relispartition", "boolean"},
     {"relrewrite", "oid"},    {"relfrozenxid", "xid"},       {"relminmxid", "xid"},
     {"relacl", "aclitem[]"},  {"reloptions", "text[]"},      {"relpartbound", "pg_node_tree"}},
    Rows};

}  // namespace tessera::catalog::system
