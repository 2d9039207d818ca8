#include "catalog/system/snapshot_catalog_view.h"

#include <cctype>

#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "common/builtin_functions.h"
#include "common/temp_schema.h"

namespace tessera::catalog::system {
namespace {

// Splits "a.b" into schema and name; unquoted parts fold to lower case and
// quoted ones keep their case ("\"T\"" is T), as PostgreSQL's stringToQualifiedNameList.
std::vector<std::string> SplitQualified(const std::string& text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == '.') {
      parts.emplace_back();
    } else {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return parts;
}

const FunctionOverload* Proc(int64_t oid) {
  const auto& all = BuiltinFunctionOverloads();
  int64_t index = oid - static_cast<int64_t>(ProcOid(0));
  if (index < 0 || index >= static_cast<int64_t>(all.size())) return nullptr;
  return &all[static_cast<size_t>(index)];
}

}  // namespace

const ClassEntry* SnapshotCatalogView::Relations::Find(uint32_t oid) const {
  auto it = by_oid.find(oid);
  return it == by_oid.end() ? nullptr : it->second;
}

const ClassEntry* SnapshotCatalogView::Relations::Find(const std::string& schema, const std::string& name) const {
  // The session's temp schema comes first, as in the catalog's own lookups.
  const std::string& temp = ActiveTempSchema();
  std::vector<std::string> path;
  if (schema == kTempSchemaAlias) {
    if (!temp.empty()) path.push_back(temp);
  } else if (!schema.empty()) {
    path.push_back(schema);
  } else {
    if (!temp.empty()) path.push_back(temp);
    path.insert(path.end(), {"public", "pg_catalog"});
  }
  for (const std::string& s : path) {
    auto it = by_name.find(s + "." + name);
    if (it != by_name.end()) return it->second;
  }
  return nullptr;
}

bool SnapshotCatalogView::Relations::Visible(const ClassEntry& e) const {
  const ClassEntry* found = Find("", e.name);
  return found && found->oid == e.oid;
}

std::shared_ptr<const SnapshotCatalogView::Relations> SnapshotCatalogView::Get() const {
  std::shared_ptr<const CatalogSnapshot> owner = fixed_ ? nullptr : fetch_();
  const CatalogSnapshot* snapshot = fixed_ ? fixed_ : owner.get();
  std::lock_guard<std::mutex> lock(mu_);
  if (cached_ && cached_->snapshot == snapshot && (fixed_ || cached_->owner == owner)) return cached_;
  auto r = std::make_shared<Relations>();
  r->owner = std::move(owner);
  r->snapshot = snapshot;
  r->entries = ClassEntries(*snapshot);
  for (const ClassEntry& e : r->entries) {
    r->by_oid.emplace(e.oid, &e);
    r->by_name.emplace(e.schema + "." + e.name, &e);
  }
  cached_ = r;
  return r;
}

std::optional<int64_t> SnapshotCatalogView::RelationOid(const std::string& name) const {
  // A number is an OID, taken as it is, as PostgreSQL's regclassin does
  // (psql writes '16386'::pg_catalog.regclass).
  if (!name.empty() && name.size() <= 10 && name.find_first_not_of("0123456789") == std::string::npos &&
      std::stoll(name) <= UINT32_MAX)
    return std::stoll(name);
  std::vector<std::string> parts = SplitQualified(name);
  if (parts.size() > 2) return std::nullopt;
  auto r = Get();
  const ClassEntry* e = parts.size() == 2 ? r->Find(parts[0], parts[1]) : r->Find("", parts[0]);
  if (!e) return std::nullopt;
  return e->oid;
}

bool SnapshotCatalogView::RelationVisible(int64_t oid) const {
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(oid));
  return e && r->Visible(*e);
}

bool SnapshotCatalogView::RelationPublishable(int64_t oid) const {
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(oid));
  return e && e->kind == 'r' && !e->system;
}

std::optional<std::string> SnapshotCatalogView::RelationName(int64_t oid) const {
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(oid));
  if (!e) return std::nullopt;
  if (r->Visible(*e)) return QuoteIdent(e->name);
  return QuoteIdent(e->schema) + "." + QuoteIdent(e->name);
}

std::optional<std::string> SnapshotCatalogView::Description(int64_t oid, const std::string& catalog,
                                                             int32_t subid) const {
  // Tables and views are the only objects with comments (COMMENT ON).
  if (!catalog.empty() && catalog != "pg_class") return std::nullopt;
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(oid));
  if (!e || !e->table || (e->kind != 'r' && e->kind != 'v')) return std::nullopt;
  const std::string* text = nullptr;
  if (subid == 0) {
    text = &e->table->comment;
  } else if (subid > 0 && static_cast<size_t>(subid) <= e->table->columns.size()) {
    text = &e->table->columns[static_cast<size_t>(subid) - 1].comment;
  }
  if (!text || text->empty()) return std::nullopt;
  return *text;
}

std::optional<std::string> SnapshotCatalogView::IndexDefinition(int64_t oid, int column, bool pretty) const {
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(oid));
  if (!e || e->kind != 'i') return std::nullopt;
  if (column != 0) return IndexColumnName(*e, column);
  const ClassEntry* table = r->Find(e->table->id);
  bool qualify = !pretty || !table || !r->Visible(*table);
  return system::IndexDefinition(*e, qualify);
}

std::optional<std::string> SnapshotCatalogView::ConstraintDefinition(int64_t oid) const {
  if (oid >= 3'700'000'000LL && oid < 3'900'000'000LL) {
    auto r = Get();
    const TableInfo* table = nullptr;
    if (const ForeignKeyInfo* fk = FindForeignKeyByOid(*r->snapshot, static_cast<uint32_t>(oid), &table))
      return ForeignKeyDefinition(*r->snapshot, *table, *fk);
    // CHECK and UNIQUE constraints' OIDs are in the same range (pg_constraint.cpp).
    for (const auto& [id, t] : r->snapshot->Tables()) {
      for (const CheckInfo& check : t.checks)
        if (ForeignKeyConstraintOid(id, check.name) == static_cast<uint32_t>(oid)) return "CHECK (" + check.sql + ")";
      for (const IndexInfo& index : t.indexes)
        if (index.constraint && ForeignKeyConstraintOid(id, index.name) == static_cast<uint32_t>(oid))
          return UniqueConstraintDefinition(t, index);
    }
    return std::nullopt;
  }
  // A primary key's constraint OID is derived from its table's id.
  int64_t table_id = oid - static_cast<int64_t>(PrimaryConstraintOid(0));
  if (table_id <= 0 || table_id > UINT32_MAX) return std::nullopt;
  auto r = Get();
  const ClassEntry* e = r->Find(PrimaryIndexOid(static_cast<uint32_t>(table_id)));
  if (!e || e->kind != 'i' || e->index) return std::nullopt;
  return system::ConstraintDefinition(*e);
}

std::optional<std::string> SnapshotCatalogView::ViewDefinition(int64_t oid, bool pretty) const {
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(oid));
  if (!e || e->kind != 'v' || !e->table) return std::nullopt;
  return system::ViewDefinition(*e->table, pretty);
}

std::optional<std::string> SnapshotCatalogView::RoleName(int64_t oid) const {
  if (oid == kDatabaseOwnerRoleOid) return std::string("pg_database_owner");
  if (oid < 0 || oid > UINT32_MAX) return std::nullopt;
  if (const RoleInfo* role = Get()->snapshot->FindRoleById(static_cast<uint32_t>(oid))) return role->name;
  if (oid == kBootstrapRoleOid) return std::string(kBootstrapRoleName);
  return std::nullopt;
}

std::optional<std::string> SnapshotCatalogView::NamespaceName(int64_t oid) const {
  std::string name = system::NamespaceName(static_cast<uint32_t>(oid));
  if (name.empty()) return std::nullopt;
  return name;
}

std::optional<std::string> SnapshotCatalogView::FunctionResult(int64_t oid) const {
  const FunctionOverload* f = Proc(oid);
  if (!f) return std::nullopt;
  TypeId ret = f->return_type == TypeId::kUnknown && !f->arg_types.empty() ? f->arg_types[0] : f->return_type;
  return FormatType(Type::Of(ret));
}

std::optional<std::string> SnapshotCatalogView::FunctionArguments(int64_t oid) const {
  const FunctionOverload* f = Proc(oid);
  if (!f) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < f->arg_types.size(); ++i) out += (i ? ", " : "") + FormatType(Type::Of(f->arg_types[i]));
  return out;
}

std::string SnapshotCatalogView::DatabaseName() const { return kDatabaseName; }

}  // namespace tessera::catalog::system
