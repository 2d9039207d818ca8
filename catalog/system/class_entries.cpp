#include "catalog/system/class_entries.h"

#include <cctype>
#include <set>

#include "catalog/system/system_oids.h"
#include "common/error.h"
#include "common/temp_schema.h"
#include "parser/ast/view_definition.h"
#include "parser/parser.h"

namespace tessera::catalog::system {

std::vector<ClassEntry> ClassEntries(const CatalogSnapshot& snapshot, bool with_system) {
  std::vector<ClassEntry> out;
  for (const auto& [id, table] : snapshot.Tables()) {
    ClassEntry t;
    t.oid = table.id;
    t.schema = table.schema;
    t.name = table.name;
    t.table = &table;
    if (table.IsView()) {
      t.kind = 'v';
      out.push_back(t);
      continue;
    }
    out.push_back(t);
    if (!table.primary_key.empty()) {
      ClassEntry pk;
      pk.oid = PrimaryIndexOid(table.id);
      pk.schema = table.schema;
      pk.name = table.primary_key_name.empty() ? table.name + "_pkey" : table.primary_key_name;
      pk.kind = 'i';
      pk.table = &table;
      out.push_back(pk);
    }
    for (const IndexInfo& index : table.indexes) {
      ClassEntry i;
      i.oid = IndexOid(index.id);
      i.schema = table.schema;
      i.name = index.name;
      i.kind = 'i';
      i.table = &table;
      i.index = &index;
      out.push_back(i);
    }
  }
  for (const auto& [key, sequence] : snapshot.Sequences()) {
    ClassEntry s;
    s.oid = SequenceOid(sequence);
    s.schema = sequence.schema;
    s.name = sequence.name;
    s.kind = 'S';
    s.sequence = &sequence;
    out.push_back(s);
  }
  if (with_system) {
    for (const SystemRelation* relation : SystemRelations()) {
      ClassEntry v;
      v.oid = relation->oid;
      v.schema = relation->schema;
      v.name = relation->name;
      v.kind = 'v';
      v.system = relation;
      out.push_back(v);
    }
  }
  return out;
}

const ClassEntry* FindClassEntry(const std::vector<ClassEntry>& entries, uint32_t oid) {
  for (const ClassEntry& e : entries)
    if (e.oid == oid) return &e;
  return nullptr;
}

std::string ColumnDefaultText(const ColumnInfo& column) {
  const std::string& temp = ActiveTempSchema();
  if (temp.empty()) return column.default_sql;
  const std::string own = "nextval('" + temp + ".";
  if (column.default_sql.rfind(own, 0) != 0) return column.default_sql;
  return "nextval('" + column.default_sql.substr(own.size());
}

std::string QuoteIdent(const std::string& name) {
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      plain = false;
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::vector<int> IndexColumns(const ClassEntry& e) {
  return e.index ? e.index->columns : e.table->primary_key;
}

namespace {

bool Descending(const ClassEntry& e, size_t i) {
  return e.index && i < e.index->descending.size() && e.index->descending[i];
}

std::string ColumnList(const ClassEntry& e, bool with_direction) {
  std::string out = "(";
  std::vector<int> columns = IndexColumns(e);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ", ";
    out += QuoteIdent(e.table->columns[columns[i]].name);
    if (with_direction && Descending(e, i)) out += " DESC";
  }
  return out + ")";
}

}  // namespace

std::string IndexDefinition(const ClassEntry& e, bool qualify) {
  bool unique = !e.index || e.index->unique;
  std::string table = (qualify ? QuoteIdent(e.table->schema) + "." : "") + QuoteIdent(e.table->name);
  return std::string("CREATE ") + (unique ? "UNIQUE " : "") + "INDEX " + QuoteIdent(e.name) + " ON " + table +
         " USING btree " + ColumnList(e, true);
}

std::string IndexColumnName(const ClassEntry& e, int column) {
  std::vector<int> columns = IndexColumns(e);
  if (column < 1 || column > static_cast<int>(columns.size())) return {};
  return QuoteIdent(e.table->columns[columns[column - 1]].name);
}

std::string ViewDefinition(const TableInfo& view, bool pretty) {
  try {
    std::vector<ast::StatementPtr> parsed = ParseSql(view.view_sql);
    std::vector<std::string> columns;
    for (const ColumnInfo& c : view.columns) columns.push_back(c.name);
    if (parsed.size() == 1 && parsed[0]->kind == ast::StmtKind::kSelect)
      return ast::ViewDefinitionText(parsed[0]->As<ast::SelectStmt>(), columns, view.view_sql, pretty);
  } catch (const SqlError&) {
  }
  return " " + view.view_sql + ";";
}

std::string ConstraintDefinition(const ClassEntry& e) {
  return std::string(e.index ? "UNIQUE " : "PRIMARY KEY ") + ColumnList(e, false);
}

namespace {

std::string NameList(const TableInfo& table, const std::vector<int>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + QuoteIdent(table.columns[columns[i]].name);
  return out;
}

}  // namespace

std::string UniqueConstraintDefinition(const TableInfo& table, const IndexInfo& index) {
  return "UNIQUE (" + NameList(table, index.columns) + ")";
}

std::string ForeignKeyDefinition(const CatalogSnapshot& snapshot, const TableInfo& table, const ForeignKeyInfo& fk) {
  const TableInfo* parent = snapshot.FindTableById(fk.ref_table);
  if (parent == nullptr) return {};
  std::string out = "FOREIGN KEY (" + NameList(table, fk.columns) + ") REFERENCES ";
  if (parent->schema != "public") out += QuoteIdent(parent->schema) + ".";
  out += QuoteIdent(parent->name) + "(" + NameList(*parent, fk.ref_columns) + ")";
  if (fk.match == 'f') out += " MATCH FULL";
  if (fk.on_update != 'a') out += std::string(" ON UPDATE ") + ForeignKeyActionName(fk.on_update);
  if (fk.on_delete != 'a') out += std::string(" ON DELETE ") + ForeignKeyActionName(fk.on_delete);
  return out;
}

const ForeignKeyInfo* FindForeignKeyByOid(const CatalogSnapshot& snapshot, uint32_t oid, const TableInfo** table) {
  for (const auto& [id, t] : snapshot.Tables())
    for (const ForeignKeyInfo& fk : t.foreign_keys)
      if (ForeignKeyConstraintOid(id, fk.name) == oid) {
        *table = &t;
        return &fk;
      }
  return nullptr;
}

uint32_t ForeignKeyIndexOid(const CatalogSnapshot& snapshot, const ForeignKeyInfo& fk) {
  const TableInfo* parent = snapshot.FindTableById(fk.ref_table);
  if (parent == nullptr) return 0;
  std::set<int> wanted(fk.ref_columns.begin(), fk.ref_columns.end());
  if (std::set<int>(parent->primary_key.begin(), parent->primary_key.end()) == wanted)
    return PrimaryIndexOid(parent->id);
  for (const IndexInfo& index : parent->indexes)
    if (index.unique && std::set<int>(index.columns.begin(), index.columns.end()) == wanted) return IndexOid(index.id);
  return 0;
}

}  // namespace tessera::catalog::system
