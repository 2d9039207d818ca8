// FOREIGN KEY constraints in DDL: resolved and named as PostgreSQL does
// (c_pid_fkey), checked against the referenced table's keys and the column
// types, validated over existing rows by ALTER TABLE; ALTER TABLE DROP
// CONSTRAINT. Enforcement is executor/foreign_keys.h.
#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/temp_schema.h"
#include "executor/ddl_executor.h"
#include "executor/foreign_keys.h"

namespace tessera::executor {

namespace {

constexpr const char* kInvalidForeignKey = "42830";

enum class KeyTypes : uint8_t { kCompatible, kUnsupported, kIncompatible };

int Category(TypeId id) {
  switch (id) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: return 1;
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kNumeric: return 2;
    case TypeId::kText:
    case TypeId::kVarchar: return 3;
    case TypeId::kBpchar: return 4;
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return 5;
    default: return 100 + static_cast<int>(id);
  }
}

// Whether the values of two columns can be compared as keys. Integers of
// any width, and text with varchar, compare as Tessera's checks do;
// PostgreSQL also pairs integers with numeric or floats, and dates with
// timestamps, which is refused here (0A000) rather than compared loosely.
KeyTypes CompareKeyTypes(Type a, Type b) {
  if (a.id == b.id) return KeyTypes::kCompatible;
  int ca = Category(a.id), cb = Category(b.id);
  if (ca == cb) return KeyTypes::kCompatible;
  if ((ca == 1 || ca == 2) && (cb == 1 || cb == 2)) return KeyTypes::kUnsupported;
  if ((ca == 3 || ca == 4) && (cb == 3 || cb == 4)) return KeyTypes::kUnsupported;
  return KeyTypes::kIncompatible;
}

std::vector<int> FkColumns(const catalog::TableInfo& table, const std::vector<std::string>& names) {
  std::vector<int> out;
  for (auto& name : names) {
    auto pos = table.FindColumn(name);
    if (!pos)
      throw SqlError(sqlstate::kUndefinedColumn,
                     "column \"" + name + "\" referenced in foreign key constraint does not exist");
    out.push_back(*pos);
  }
  return out;
}

// The referenced columns must be exactly the primary key's or a unique
// index's (in any order), as PostgreSQL's transformFkeyCheckAttrs.
bool MatchesUniqueKey(const catalog::TableInfo& parent, const std::vector<int>& columns) {
  std::set<int> wanted(columns.begin(), columns.end());
  if (wanted.size() != columns.size()) return false;
  if (!parent.primary_key.empty() && std::set<int>(parent.primary_key.begin(), parent.primary_key.end()) == wanted)
    return true;
  for (auto& index : parent.indexes)
    if (index.unique && std::set<int>(index.columns.begin(), index.columns.end()) == wanted) return true;
  return false;
}

// Constraint names taken in `schema` (PostgreSQL picks a generated name
// unused in the whole schema).
std::set<std::string> ConstraintNames(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& table) {
  std::set<std::string> names;
  auto add_table = [&](const catalog::TableInfo& t) {
    if (!t.primary_key_name.empty()) names.insert(t.primary_key_name);
    for (auto& index : t.indexes)
      if (index.unique) names.insert(index.name);
    for (auto& check : t.checks) names.insert(check.name);
    for (auto& fk : t.foreign_keys) names.insert(fk.name);
  };
  for (auto& [id, t] : snapshot.Tables())
    if (t.schema == table.schema && t.id != table.id) add_table(t);
  add_table(table);
  return names;
}

}  // namespace

void DdlExecutor::AddForeignKey(catalog::TableInfo& table, const std::vector<std::string>& columns,
                                const ast::ForeignKeyClause& clause, const std::string& name,
                                const std::vector<std::pair<std::string, std::vector<std::string>>>& new_uniques) {
  if (clause.match == 'f') throw SqlError::FeatureNotSupported("MATCH FULL foreign keys are not supported yet");
  if (clause.match == 'p') throw SqlError::FeatureNotSupported("MATCH PARTIAL not yet implemented");
  if (clause.deferrable || clause.initially_deferred)
    throw SqlError::FeatureNotSupported("DEFERRABLE foreign keys are not supported yet");
  auto snapshot = catalog_.Snapshot();
  // A table may reference itself, also in the CREATE TABLE that makes it.
  bool self = table.id == 0 ? clause.table.name == table.name &&
                                  (clause.table.schema.empty() || clause.table.schema == table.schema)
                            : false;
  catalog::TableInfo parent;
  if (self) {
    parent = table;
    for (auto& [index_name, index_columns] : new_uniques) {
      catalog::IndexInfo index;
      index.name = index_name;
      index.columns = FkColumns(table, index_columns);
      index.unique = true;
      parent.indexes.push_back(index);
    }
  } else {
    const catalog::TableInfo* found = snapshot->FindTable(clause.table.schema, clause.table.name);
    if (found == nullptr) throw SqlError::UndefinedTable(clause.table.ToString());
    if (found->IsView())
      throw SqlError(sqlstate::kWrongObjectType, "referenced relation \"" + found->name + "\" is not a table");
    parent = found->id == table.id ? table : *found;
  }
  // A temp table goes with its session: nothing permanent may depend on it.
  if (IsOtherTempSchema(parent.schema))
    throw SqlError(sqlstate::kInvalidTableDefinition,
                   "constraints on temporary tables must involve temporary tables of this session");
  if (IsTempSchema(parent.schema) != IsTempSchema(table.schema))
    throw SqlError(sqlstate::kInvalidTableDefinition,
                   IsTempSchema(table.schema) ? "constraints on temporary tables may reference only temporary tables"
                                              : "constraints on permanent tables may reference only permanent tables");
  catalog::ForeignKeyInfo fk;
  fk.columns = FkColumns(table, columns);
  if (clause.columns.empty()) {
    if (parent.primary_key.empty())
      throw SqlError(sqlstate::kUndefinedObject,
                     "there is no primary key for referenced table \"" + parent.name + "\"");
    fk.ref_columns = parent.primary_key;
  } else {
    fk.ref_columns = FkColumns(parent, clause.columns);
  }
  if (fk.columns.size() != fk.ref_columns.size())
    throw SqlError(kInvalidForeignKey, "number of referencing and referenced columns for foreign key disagree");
  if (!clause.columns.empty() && !MatchesUniqueKey(parent, fk.ref_columns))
    throw SqlError(kInvalidForeignKey,
                   "there is no unique constraint matching given keys for referenced table \"" + parent.name + "\"");
  fk.name = name;
  std::set<std::string> taken = ConstraintNames(*snapshot, table);
  if (fk.name.empty()) {
    std::string middle;
    for (size_t i = 0; i < columns.size(); ++i) middle += (i ? "_" : "") + columns[i];
    std::string base = table.name + "_" + middle + "_fkey";
    fk.name = base;
    for (int n = 1; taken.contains(fk.name); ++n) fk.name = base.substr(0, base.size() - 4) + "fkey" + std::to_string(n);
  } else {
    bool own = std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(),
                           [&](const catalog::ForeignKeyInfo& f) { return f.name == fk.name; }) ||
               std::any_of(table.checks.begin(), table.checks.end(),
                           [&](const catalog::CheckInfo& c) { return c.name == fk.name; });
    if (own)
      throw SqlError(sqlstate::kDuplicateObject,
                     "constraint \"" + fk.name + "\" for relation \"" + table.name + "\" already exists");
  }
  CheckForeignKeyTypes(table, fk, parent);
  fk.ref_table = self ? 0 : parent.id;  // 0: the table being created (its id comes with it)
  fk.on_delete = clause.on_delete;
  fk.on_update = clause.on_update;
  fk.match = clause.match;
  table.foreign_keys.push_back(fk);
}

void DdlExecutor::CheckForeignKeyTypes(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                                       const catalog::TableInfo& parent) {
  for (size_t i = 0; i < fk.columns.size(); ++i) {
    Type mine = child.columns[fk.columns[i]].type, theirs = parent.columns[fk.ref_columns[i]].type;
    KeyTypes types = CompareKeyTypes(mine, theirs);
    if (types == KeyTypes::kIncompatible)
      throw SqlError(sqlstate::kDatatypeMismatch, "foreign key constraint \"" + fk.name + "\" cannot be implemented",
                     "Key columns \"" + child.columns[fk.columns[i]].name + "\" and \"" +
                         parent.columns[fk.ref_columns[i]].name + "\" are of incompatible types: " +
                         FormatType(Type::Of(mine.id)) + " and " + FormatType(Type::Of(theirs.id)) + ".");
    if (types == KeyTypes::kUnsupported)
      throw SqlError::FeatureNotSupported("foreign keys between columns of types " + FormatType(Type::Of(mine.id)) +
                                          " and " + FormatType(Type::Of(theirs.id)) + " are not supported yet");
  }
}

void DdlExecutor::ValidateForeignKey(const catalog::TableInfo& table, const catalog::ForeignKeyInfo& fk) {
  // The catalog as it will be, so that a table referencing itself finds itself.
  auto snapshot = std::make_shared<catalog::CatalogSnapshot>(*catalog_.Snapshot());
  snapshot->tables_[table.id] = table;
  ForeignKeyChecker checker(snapshot, fragments_);
  checker.CheckReferencingRows(table, fk, ReadAllRows(table));
}

std::string DdlExecutor::DropConstraint(catalog::TableInfo table, const ast::AlterTableStmt& stmt) {
  const std::string& name = stmt.old_name;
  auto fk = std::find_if(table.foreign_keys.begin(), table.foreign_keys.end(),
                         [&](const catalog::ForeignKeyInfo& f) { return f.name == name; });
  auto check = std::find_if(table.checks.begin(), table.checks.end(),
                            [&](const catalog::CheckInfo& c) { return c.name == name; });
  if (fk != table.foreign_keys.end()) {
    table.foreign_keys.erase(fk);
  } else if (check != table.checks.end()) {
    table.checks.erase(check);
  } else if (auto unique = std::find_if(table.indexes.begin(), table.indexes.end(),
                                         [&](const catalog::IndexInfo& i) { return i.constraint && i.name == name; });
             unique != table.indexes.end()) {
    if (stmt.cascade)
      throw SqlError::FeatureNotSupported("ALTER TABLE DROP CONSTRAINT ... CASCADE of a unique constraint is not "
                                          "supported");
    CheckIndexNotReferenced(*catalog_.Snapshot(), table, *unique,
                            "constraint " + name + " on table " + table.name);
    DropIndexData(table, unique->id);
  } else {
    if (table.primary_key_name == name)
      throw SqlError::FeatureNotSupported("ALTER TABLE DROP CONSTRAINT of a primary key is not supported yet");
    std::string what = "constraint \"" + name + "\" of relation \"" + table.name + "\" does not exist";
    if (stmt.missing_ok) {
      notice_(sqlstate::kSuccessfulCompletion, what + ", skipping");
      return "ALTER TABLE";
    }
    throw SqlError(sqlstate::kUndefinedObject, what);
  }
  catalog_.UpdateTable(table);
  return "ALTER TABLE";
}

}  // namespace tessera::executor
