// Lookup of the declared system relations, the mapping of PostgreSQL's
// declared column types onto Tessera's, and the checked row generation.
#include "catalog/system/system_relation.h"

#include <string_view>

#include "common/error.h"

namespace tessera::catalog::system {

bool IsSystemSchema(const std::string& schema) { return schema == "pg_catalog" || schema == "information_schema"; }

const SystemRelation* FindSystemRelation(const std::string& schema, const std::string& name) {
  const std::string& wanted = schema.empty() ? std::string("pg_catalog") : schema;
  for (const SystemRelation* relation : SystemRelations())
    if (relation->name == name && relation->schema == wanted) return relation;
  return nullptr;
}

namespace {

// The arrays of the types Tessera has ("char" and name are text): clients
// compare, subscript and unnest them (psql's `oid = ANY (polroles)`).
// aclitem[] and the vectors stay text.
Type ArrayColumnType(std::string_view element) {
  if (element == "smallint") return ArrayTypeFor(Type::Of(TypeId::kInt2));
  if (element == "integer") return ArrayTypeFor(Type::Of(TypeId::kInt4));
  if (element == "oid") return ArrayTypeFor(Type::Of(TypeId::kOid));
  if (element == "text" || element == "name" || element == "\"char\"") return ArrayTypeFor(Type::Of(TypeId::kText));
  return Type::Of(TypeId::kText);
}

}  // namespace

Type SystemColumnType(const SystemColumn& column) {
  std::string_view t = column.pg_type;
  if (t.size() > 2 && t.substr(t.size() - 2) == "[]") return ArrayColumnType(t.substr(0, t.size() - 2));
  if (t == "oid" || t == "xid") return Type::Of(TypeId::kOid);
  if (t == "smallint") return Type::Of(TypeId::kInt2);
  if (t == "integer") return Type::Of(TypeId::kInt4);
  if (t == "bigint") return Type::Of(TypeId::kInt8);
  if (t == "real") return Type::Of(TypeId::kFloat4);
  if (t == "boolean") return Type::Of(TypeId::kBool);
  if (t == "timestamp with time zone") return Type::Of(TypeId::kTimestampTz);
  if (t == "character varying") return Type::Of(TypeId::kVarchar);
  // text, name, "char", regproc, vectors, arrays, aclitem[], pg_node_tree:
  // text in PostgreSQL's text form.
  return Type::Of(TypeId::kText);
}

std::vector<Row> GenerateSystemRows(const SystemRelation& relation, const CatalogSnapshot& snapshot) {
  std::vector<Type> types;
  for (const SystemColumn& c : relation.columns) types.push_back(SystemColumnType(c));
  std::vector<Row> rows = relation.rows(snapshot);
  for (Row& row : rows) {
    TS_ASSERT(row.size() == types.size(), "system relation row width differs from its declaration");
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].IsNull()) {
        row[i] = Value::Null(types[i]);
        continue;
      }
      // Row generators may give an array in its text form ("{1,2}").
      if (row[i].Id() == TypeId::kText && IsArrayType(types[i].id))
        row[i] = Value::FromText(row[i].GetString(), types[i]);
      TS_ASSERT(row[i].Id() == types[i].id, "system relation value type differs from its declaration");
    }
  }
  return rows;
}

std::vector<Row> NoRows(const CatalogSnapshot&) { return {}; }

}  // namespace tessera::catalog::system
