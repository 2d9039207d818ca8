// information_schema.tables, columns, views and schemata (SQL standard views over
// the same catalog). Identifiers are sql_identifier (varchar in PostgreSQL's
// information_schema domain); yes_or_no and character_data likewise.
#include "catalog/system/builtin_types.h"
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"
#include "common/temp_schema.h"
#include "common/types.h"

namespace tessera::catalog::system {
namespace {

Value Id(const std::string& s) { return Value::Text(s, Type::Of(TypeId::kVarchar)); }
Value YesNo(bool b) { return Id(b ? "YES" : "NO"); }
Value Cardinal(std::optional<int32_t> v) { return v ? Int4Value(*v) : NullValue(); }

std::vector<Row> TablesRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot)) {
    if (e.kind != 'r' && e.kind != 'v') continue;
    // As PostgreSQL's view: the session's own temp tables, not others'.
    if (IsOtherTempSchema(e.schema)) continue;
    const char* type = e.kind == 'v' ? "VIEW" : IsTempSchema(e.schema) ? "LOCAL TEMPORARY" : "BASE TABLE";
    rows.push_back({Id(kDatabaseName), Id(e.schema), Id(e.name), Id(type),
                    NullValue(), NullValue(), NullValue(), NullValue(), NullValue(), YesNo(e.kind == 'r'),
                    YesNo(false), NullValue()});
  }
  return rows;
}

// information_schema's data_type: the standard's name, or the PostgreSQL one.
std::string DataType(Type t) {
  switch (t.id) {
    case TypeId::kVarchar: return "character varying";
    case TypeId::kBpchar: return "character";
    case TypeId::kTimestamp: return "timestamp without time zone";
    case TypeId::kTimestampTz: return "timestamp with time zone";
    default: return IsArrayType(t.id) ? "ARRAY" : FormatType(Type::Of(t.id));
  }
}

std::optional<int32_t> NumericPrecision(Type t) {
  switch (t.id) {
    case TypeId::kInt2: return 16;
    case TypeId::kInt4: return 32;
    case TypeId::kInt8: return 64;
    case TypeId::kFloat4: return 24;
    case TypeId::kFloat8: return 53;
    case TypeId::kNumeric: return t.NumericPrecision();
    default: return std::nullopt;
  }
}

// udt_name: PostgreSQL's internal type name (int4, varchar, ...).
std::string UdtName(Type t) {
  const BuiltinType* b = FindBuiltinType(static_cast<uint32_t>(t.id));
  return b ? b->name : "";
}

std::vector<Row> ColumnsRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [id, table] : snapshot.Tables()) {
    if (IsOtherTempSchema(table.schema)) continue;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const ColumnInfo& c = table.columns[i];
      std::optional<int32_t> precision = NumericPrecision(c.type);
      std::optional<int32_t> radix;
      if (precision) radix = c.type.id == TypeId::kNumeric ? 10 : 2;
      std::optional<int32_t> scale;
      if (IsIntegerType(c.type.id)) scale = 0;
      if (c.type.id == TypeId::kNumeric) scale = c.type.NumericScale();
      rows.push_back({Id(kDatabaseName),
                      Id(table.schema),
                      Id(table.name),
                      Id(c.name),
                      Int4Value(static_cast<int64_t>(i + 1)),
                      c.default_sql.empty() || c.identity ? NullValue() : Id(ColumnDefaultText(c)),
                      YesNo(!c.not_null),
                      Id(DataType(c.type)),
                      Cardinal(c.type.CharLength()),
                      NullValue(),
                      Cardinal(precision),
                      Cardinal(radix),
                      Cardinal(scale),
                      NullValue(),
                      Id(kDatabaseName),
                      Id("pg_catalog"),
                      Id(UdtName(c.type)),
                      YesNo(c.identity != '\0'),
                      Id("NEVER"),
                      YesNo(!table.IsView())});
    }
  }
  return rows;
}

// information_schema.views: is_updatable and is_insertable_into say NO, since
// Tessera writes through no view yet (PostgreSQL says YES for simple ones).
std::vector<Row> ViewsRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [id, table] : snapshot.Tables()) {
    if (!table.IsView()) continue;
    rows.push_back({Id(kDatabaseName), Id(table.schema), Id(table.name), Id(ViewDefinition(table, false)), Id("NONE"),
                    YesNo(false), YesNo(false), YesNo(false), YesNo(false), YesNo(false)});
  }
  return rows;
}

std::vector<Row> SchemataRows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  for (const char* schema : {"information_schema", "pg_catalog", "public"})
    rows.push_back({Id(kDatabaseName), Id(schema), Id(kBootstrapRoleName), NullValue(), NullValue(), NullValue(),
                    NullValue()});
  return rows;
}

}  // namespace

extern const SystemRelation kInformationSchemaTables{
    "information_schema", "tables", 13100,
    {{"table_catalog", "character varying"}, {"table_schema", "character varying"},
     {"table_name", "character varying"}, {"table_type", "character varying"},
     {"self_referencing_column_name", "character varying"}, {"reference_generation", "character varying"},
     {"user_defined_type_catalog", "character varying"}, {"user_defined_type_schema", "character varying"},
     {"user_defined_type_name", "character varying"}, {"is_insertable_into", "character varying"},
     {"is_typed", "character varying"}, {"commit_action", "character varying"}},
    TablesRows};

extern const SystemRelation kInformationSchemaColumns{
    "information_schema", "columns", 13101,
    {{"table_catalog", "character varying"}, {"table_schema", "character varying"},
     {"table_name", "character varying"}, {"column_name", "character varying"},
     {"ordinal_position", "integer"}, {"column_default", "character varying"},
     {"is_nullable", "character varying"}, {"data_type", "character varying"},
     {"character_maximum_length", "integer"}, {"character_octet_length", "integer"},
     {"numeric_precision", "integer"}, {"numeric_precision_radix", "integer"}, {"numeric_scale", "integer"},
     {"datetime_precision", "integer"}, {"udt_catalog", "character varying"},
     {"udt_schema", "character varying"}, {"udt_name", "character varying"},
     {"is_identity", "character varying"}, {"is_generated", "character varying"},
     {"is_updatable", "character varying"}},
    ColumnsRows};

extern const SystemRelation kInformationSchemaSchemata{
    "information_schema", "schemata", 13102,
    {{"catalog_name", "character varying"}, {"schema_name", "character varying"},
     {"schema_owner", "character varying"}, {"default_character_set_catalog", "character varying"},
     {"default_character_set_schema", "character varying"}, {"default_character_set_name", "character varying"},
     {"sql_path", "character varying"}},
    SchemataRows};

}  // namespace tessera::catalog::system

namespace tessera::catalog::system {

extern const SystemRelation kInformationSchemaViews{
    "information_schema", "views", 13105,
    {{"table_catalog", "character varying"}, {"table_schema", "character varying"},
     {"table_name", "character varying"}, {"view_definition", "character varying"},
     {"check_option", "character varying"}, {"is_updatable", "character varying"},
     {"is_insertable_into", "character varying"}, {"is_trigger_updatable", "character varying"},
     {"is_trigger_deletable", "character varying"}, {"is_trigger_insertable_into", "character varying"}},
    ViewsRows};

}  // namespace tessera::catalog::system
