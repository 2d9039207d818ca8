// pg_catalog.pg_attribute: the columns of every table, view, index and system
// relation (user columns only: Tessera has no ctid/xmin system columns).
#include "catalog/system/builtin_types.h"
#include "catalog/system/class_entries.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

Row AttributeRow(uint32_t relid, const std::string& name, Type type, int attnum, bool not_null, bool has_default,
                 char identity = '\0') {
  const BuiltinType* t = FindBuiltinType(static_cast<uint32_t>(type.id));
  return {
      OidValue(relid),
      NameValue(name),
      OidValue(static_cast<uint32_t>(type.id)),
      Int4Value(-1),
      Int2Value(t ? t->length : -1),
      Int2Value(attnum),
      Int4Value(IsArrayType(type.id) ? 1 : 0),  // attndims
      Int4Value(-1),
      Int4Value(type.typmod),
      BoolValue(t && t->by_value),
      CharValue(t ? t->align : 'i'),
      CharValue(t ? t->storage : 'x'),
      TextValue(""),
      BoolValue(not_null),
      BoolValue(has_default),
      BoolValue(false),
      TextValue(identity ? std::string(1, identity) : std::string()),
      TextValue(""),
      BoolValue(false),
      BoolValue(true),
      Int4Value(0),
      OidValue(t ? t->collation : 0),
      NullValue(),
      NullValue(),
      NullValue(),
      NullValue(),
  };
}

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot)) {
    if (e.system) {
      for (size_t i = 0; i < e.system->columns.size(); ++i)
        rows.push_back(AttributeRow(e.oid, e.system->columns[i].name, SystemColumnType(e.system->columns[i]),
                                    static_cast<int>(i + 1), false, false));
    } else if (e.kind == 'r' || e.kind == 'v') {
      for (size_t i = 0; i < e.table->columns.size(); ++i) {
        const ColumnInfo& c = e.table->columns[i];
        // An identity column's nextval is no default to PostgreSQL's catalogs.
        bool has_default = !c.default_sql.empty() && c.identity == '\0';
        rows.push_back(
            AttributeRow(e.oid, c.name, c.type, static_cast<int>(i + 1), c.not_null, has_default, c.identity));
      }
    } else if (e.kind == 'i') {
      std::vector<int> columns = IndexColumns(e);
      for (size_t i = 0; i < columns.size(); ++i) {
        const ColumnInfo& c = e.table->columns[columns[i]];
        rows.push_back(AttributeRow(e.oid, c.name, c.type, static_cast<int>(i + 1), false, false));
      }
    } else if (e.kind == 'S') {
      rows.push_back(AttributeRow(e.oid, "last_value", Type::Of(TypeId::kInt8), 1, true, false));
      rows.push_back(AttributeRow(e.oid, "log_cnt", Type::Of(TypeId::kInt8), 2, true, false));
      rows.push_back(AttributeRow(e.oid, "is_called", Type::Of(TypeId::kBool), 3, true, false));
    }
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgAttribute{
    "pg_catalog", "pg_attribute", 1249,
    {{"attrelid", "oid"},        {"attname", "name"},           {"atttypid", "oid"},
     {"attstattarget", "integer"}, {"attlen", "smallint"},      {"attnum", "smallint"},
     {"attndims", "integer"},    {"attcacheoff", "integer"},    {"atttypmod", "integer"},
     {"attbyval", "boolean"},    {"attalign", "\"char\""},      {"attstorage", "\"char\""},
     {"attcompression", "\"char\""}, {"attnotnull", "boolean"}, {"atthasdef", "boolean"},
     {"atthasmissing", "boolean"}, {"attidentity", "\"char\""}, {"attgenerated", "\"char\""},
     {"attisdropped", "boolean"}, {"attislocal", "boolean"},    {"attinhcount", "integer"},
     {"attcollation", "oid"},    {"attacl", "aclitem[]"},       {"attoptions", "text[]"},
     {"attfdwoptions", "text[]"}, {"attmissingval", "anyarray"}},
    Rows};

}  // namespace tessera::catalog::system
