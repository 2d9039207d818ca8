// One change of a transaction's DDL applied to a catalog version, shared by
// DocumentCatalog::Apply (at COMMIT) and the transaction's own view of the
// catalog before it commits (executor/ddl_block_catalog.h).
#include <set>

#include "catalog/catalog.h"
#include "common/error.h"

namespace tessera::catalog {

namespace {

std::string QualifiedName(const std::string& schema, const std::string& name) {
  return (schema.empty() ? std::string("public") : schema) + "." + name;
}

// PostgreSQL would have waited on the other transaction's lock and then
// failed or seen its change; we find the clash only at COMMIT.
SqlError ConcurrentDdl(const std::string& name) {
  return SqlError(sqlstate::kSerializationFailure,
                  "could not serialize access due to concurrent DDL on relation \"" + name + "\"");
}

}  // namespace

// The previous version was valid, so any clash involves the object being changed.
void CheckRelationNames(const CatalogSnapshot& snapshot) {
  std::set<std::string> seen;
  auto add = [&seen](const std::string& schema, const std::string& name) {
    if (name.empty()) return;
    if (!seen.insert(QualifiedName(schema, name)).second)
      throw SqlError(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
  };
  for (const auto& [key, seq] : snapshot.sequences_) add(seq.schema, seq.name);
  for (const auto& [id, table] : snapshot.tables_) {
    add(table.schema, table.name);
    if (!table.primary_key.empty()) add(table.schema, table.primary_key_name);
    for (const IndexInfo& index : table.indexes) add(table.schema, index.name);
  }
}

std::vector<const TableInfo*> DependentViews(const CatalogSnapshot& snapshot, uint32_t id) {
  std::vector<const TableInfo*> out;
  for (const auto& [view_id, view] : snapshot.tables_)
    for (uint32_t used : view.view_depends_on)
      if (used == id) {
        out.push_back(&view);
        break;
      }
  return out;
}

void CheckForeignKeyReferences(const CatalogSnapshot& snapshot) {
  for (const auto& [id, table] : snapshot.tables_)
    for (const ForeignKeyInfo& fk : table.foreign_keys)
      if (!snapshot.tables_.contains(fk.ref_table)) throw ConcurrentDdl(table.name);
}

std::vector<std::pair<const TableInfo*, const ForeignKeyInfo*>> ReferencingKeys(const CatalogSnapshot& snapshot,
                                                                               uint32_t id) {
  std::vector<std::pair<const TableInfo*, const ForeignKeyInfo*>> out;
  for (const auto& [table_id, table] : snapshot.tables_)
    for (const ForeignKeyInfo& fk : table.foreign_keys)
      if (fk.ref_table == id) out.emplace_back(&table, &fk);
  return out;
}

void CheckViewDependencies(const CatalogSnapshot& snapshot) {
  for (const auto& [id, view] : snapshot.tables_)
    for (uint32_t used : view.view_depends_on)
      if (!snapshot.tables_.contains(used)) throw ConcurrentDdl(view.name);
}

void ApplyChange(CatalogSnapshot& snapshot, std::map<std::string, int64_t>* counters, const CatalogChange& change,
                 bool strict) {
  using Kind = CatalogChange::Kind;
  auto& tables = snapshot.tables_;
  auto& sequences = snapshot.sequences_;
  switch (change.kind) {
    case Kind::kCreateTable: {
      if (!tables.emplace(change.table.id, change.table).second && strict)
        throw SqlError::Internal("table id " + std::to_string(change.table.id) + " is taken");
      return;
    }
    case Kind::kDropTable:
    case Kind::kUpdateTable: {
      // Not strict (a transaction's own view): its change wins over one
      // committed since by others, which its COMMIT will then refuse.
      auto it = tables.find(change.before.id);
      if (it == tables.end() || (strict && !(it->second == change.before))) {
        if (strict) throw ConcurrentDdl(change.before.name);
        return;
      }
      if (change.kind == Kind::kUpdateTable) {
        it->second = change.table;
        return;
      }
      // Owned (serial) sequences go with their table, as in PostgreSQL.
      for (auto seq = sequences.begin(); seq != sequences.end();) {
        if (seq->second.schema == it->second.schema && seq->second.owned_by_table == it->second.name) {
          if (counters) counters->erase(seq->first);
          seq = sequences.erase(seq);
        } else {
          ++seq;
        }
      }
      tables.erase(it);
      return;
    }
    case Kind::kRenameSequence: {
      auto from = sequences.find(QualifiedName(change.sequence.schema, change.from_name));
      if (from == sequences.end()) {
        if (strict) throw ConcurrentDdl(change.sequence.name);
        return;
      }
      std::string key = QualifiedName(change.sequence.schema, change.sequence.name);
      // setval on the private sequence moved its origin: keep it.
      SequenceInfo renamed = change.sequence;
      renamed.last_value = from->second.last_value;
      renamed.is_called = from->second.is_called;
      sequences.erase(from);
      sequences[key] = renamed;
      if (counters) {
        std::string from_key = QualifiedName(change.sequence.schema, change.from_name);
        int64_t counter = (*counters)[from_key];
        counters->erase(from_key);
        (*counters)[key] = counter;
      }
      return;
    }
    case Kind::kDropSequence: {
      std::string key = QualifiedName(change.sequence.schema, change.sequence.name);
      if (sequences.erase(key) == 0 && strict) throw ConcurrentDdl(change.sequence.name);
      if (counters) counters->erase(key);
      return;
    }
  }
}

}  // namespace tessera::catalog
