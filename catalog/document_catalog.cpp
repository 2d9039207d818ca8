// DocumentCatalog: every catalog change, over any CatalogStore.
#include "catalog/document_catalog.h"

#include <atomic>
#include <mutex>
#include <set>

#include "catalog/catalog_json.h"
#include "common/error.h"

namespace tessera::catalog {

namespace {

std::string QualifiedName(const std::string& schema, const std::string& name) {
  return (schema.empty() ? std::string("public") : schema) + "." + name;
}

SqlError DuplicateRelation(const std::string& name) {
  return SqlError(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
}

void CheckColumns(const TableInfo& table) {
  std::set<std::string> names;
  for (const ColumnInfo& column : table.columns) {
    if (!names.insert(column.name).second) {
      throw SqlError(sqlstate::kDuplicateColumn, "column \"" + column.name + "\" specified more than once");
    }
  }
}

}  // namespace

DocumentCatalog::DocumentCatalog(std::unique_ptr<CatalogStore> store)
    : store_(std::move(store)),
      sequence_cache_([this](const std::string& name, int64_t count) { return store_->Allocate(name, count); },
                      kSequenceCache) {
  std::lock_guard lock(mutex_);
  LoadLocked();
}

void DocumentCatalog::LoadLocked() {
  uint64_t token = 0;
  auto stored = store_->Load(&token);
  state_ = stored ? DeserializeCatalog(*stored) : StoredCatalog{};
  if (!stored) state_.snapshot.roles_ = BootstrapRoles();
  token_ = token;
  snapshot_.store(std::make_shared<const CatalogSnapshot>(state_.snapshot));
}

uint64_t DocumentCatalog::Reload() {
  std::lock_guard lock(mutex_);
  LoadLocked();
  return state_.snapshot.version_;
}

void DocumentCatalog::Change(const std::function<void(StoredCatalog&)>& change) {
  std::lock_guard lock(mutex_);
  for (int attempt = 0;; ++attempt) {
    StoredCatalog next = state_;
    change(next);  // throws on an invalid change: nothing is stored
    next.snapshot.version_ = state_.snapshot.version_ + 1;
    if (store_->CompareAndSwap(SerializeCatalog(next), &token_)) {
      state_ = std::move(next);
      snapshot_.store(std::make_shared<const CatalogSnapshot>(state_.snapshot));
      return;
    }
    if (attempt > 100) throw SqlError(sqlstate::kSerializationFailure, "could not update the catalog: too much concurrent DDL");

    LoadLocked();  // another writer won: apply the change to its version
  }
}

TableInfo DocumentCatalog::CreateTable(TableInfo table) {
  CheckColumns(table);
  if (table.schema.empty()) table.schema = "public";
  if (!table.primary_key.empty() && table.primary_key_name.empty()) table.primary_key_name = table.name + "_pkey";
  TableInfo stored;
  Change([&](StoredCatalog& next) {
    // Check names before spending ids on a table that will not exist.
    next.snapshot.tables_.emplace(0, table);
    CheckRelationNames(next.snapshot);
    next.snapshot.tables_.erase(0);
    stored = table;
    stored.id = AllocateTableId();
    for (ForeignKeyInfo& fk : stored.foreign_keys)
      if (fk.ref_table == 0) fk.ref_table = stored.id;  // the table references itself
    // Keep ids the caller took from AllocateIndexId (it may have built
    // entries under them); fill in the rest.
    for (IndexInfo& index : stored.indexes) {
      if (index.id == 0) index.id = AllocateIndexId();
    }
    next.snapshot.tables_.emplace(stored.id, stored);
  });
  return stored;
}

void DocumentCatalog::DropTable(uint32_t table_id) {
  Change([&](StoredCatalog& next) {
    auto it = next.snapshot.tables_.find(table_id);
    if (it == next.snapshot.tables_.end()) {
      throw SqlError(sqlstate::kUndefinedTable, "table with OID " + std::to_string(table_id) + " does not exist");
    }
    const TableInfo& table = it->second;
    // Owned (serial) sequences go with their table, as in PostgreSQL.
    for (auto seq = next.snapshot.sequences_.begin(); seq != next.snapshot.sequences_.end();) {
      if (seq->second.schema == table.schema && seq->second.owned_by_table == table.name) {
        next.sequence_counters.erase(seq->first);
        seq = next.snapshot.sequences_.erase(seq);
      } else {
        ++seq;
      }
    }
    next.snapshot.tables_.erase(it);
  });
  // The data goes after the catalog entry: if we crash in between, it is
  // unreachable garbage under an id never handed out again.
  store_->ForgetTable(table_id);
}

void DocumentCatalog::UpdateTable(const TableInfo& table) {
  CheckColumns(table);
  Change([&](StoredCatalog& next) {
    auto it = next.snapshot.tables_.find(table.id);
    if (it == next.snapshot.tables_.end()) {
      throw SqlError(sqlstate::kUndefinedTable, "relation \"" + table.name + "\" does not exist");
    }
    it->second = table;
    if (it->second.schema.empty()) it->second.schema = "public";
    CheckRelationNames(next.snapshot);
    for (IndexInfo& index : it->second.indexes) {
      if (index.id == 0) index.id = AllocateIndexId();
    }
  });
}

void DocumentCatalog::CreateSequence(const SequenceInfo& seq) {
  SequenceInfo stored = seq;
  if (stored.schema.empty()) stored.schema = "public";
  std::string key = QualifiedName(stored.schema, stored.name);
  Change([&](StoredCatalog& next) {
    if (next.snapshot.sequences_.count(key) != 0) throw DuplicateRelation(stored.name);
    next.snapshot.sequences_.emplace(key, stored);
    CheckRelationNames(next.snapshot);
    next.sequence_counters[key] = store_->Allocate("sequence_id", 1);
  });
}

void DocumentCatalog::DropSequence(const std::string& schema, const std::string& name) {
  std::string key = QualifiedName(schema, name);
  Change([&](StoredCatalog& next) {
    if (next.snapshot.sequences_.erase(key) == 0) {
      throw SqlError(sqlstate::kUndefinedTable, "sequence \"" + name + "\" does not exist");
    }
    next.sequence_counters.erase(key);
  });
}

int64_t DocumentCatalog::SequenceCounter(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = state_.sequence_counters.find(key);
  return it == state_.sequence_counters.end() ? 0 : it->second;
}

int64_t DocumentCatalog::NextVal(const std::string& schema, const std::string& name) {
  auto snapshot = Snapshot();
  const SequenceInfo* seq = snapshot->FindSequence(schema, name);
  if (seq == nullptr) throw SqlError(sqlstate::kUndefinedTable, "relation \"" + name + "\" does not exist");
  int64_t counter_id = SequenceCounter(QualifiedName(schema.empty() ? seq->schema : schema, name));
  // The n-th value handed out (n from 1) is start + (n - 1) * increment.
  int64_t n = sequence_cache_.Next("sequence/" + std::to_string(counter_id));
  // A sequence created in a transaction block lives under "name$<n>" until COMMIT.
  return SequenceValue(*seq, n, name.substr(0, name.find('$')));
}

std::pair<int64_t, bool> DocumentCatalog::SequencePosition(const std::string& schema, const std::string& name) {
  auto snapshot = Snapshot();
  const SequenceInfo* seq = snapshot->FindSequence(schema, name);
  if (seq == nullptr) throw SqlError::UndefinedTable(name);
  int64_t counter_id = SequenceCounter(QualifiedName(seq->schema, name));
  int64_t last_n = sequence_cache_.LastHandedOut("sequence/" + std::to_string(counter_id));
  if (last_n < 1) return {seq->last_value, seq->is_called};  // none since the origin
  try {
    return {SequenceValue(*seq, last_n, name), true};
  } catch (const SqlError&) {  // the counter ran past the bound: the bound was the last value
    return {seq->increment > 0 ? seq->max_value : seq->min_value, true};
  }
}

void DocumentCatalog::SetSequenceValue(const std::string& schema, const std::string& name, int64_t last_value,
                                       bool is_called) {
  std::string key = QualifiedName(schema, name);
  Change([&](StoredCatalog& next) {
    auto it = next.snapshot.sequences_.find(key);
    if (it == next.snapshot.sequences_.end()) throw SqlError::UndefinedTable(name);
    it->second.last_value = last_value;
    it->second.is_called = is_called;
    next.sequence_counters[key] = store_->Allocate("sequence_id", 1);  // a fresh counter from the new origin
  });
}

void DocumentCatalog::AlterSequence(const std::string& schema, const std::string& name, const SequenceInfo& updated) {
  std::string key = QualifiedName(schema, name);
  int64_t counter_id = SequenceCounter(key);
  std::string counter = "sequence/" + std::to_string(counter_id);
  // The last value handed out becomes the origin of a fresh counter, so
  // that values go on from it under the new options.
  int64_t last_n = sequence_cache_.LastIssued(counter, store_->Allocate(counter, 1));
  Change([&](StoredCatalog& next) {
    auto it = next.snapshot.sequences_.find(key);
    if (it == next.snapshot.sequences_.end()) throw SqlError::UndefinedTable(name);
    SequenceInfo stored = updated;
    stored.schema = it->second.schema;
    stored.last_value = it->second.last_value;
    stored.is_called = it->second.is_called;
    if (last_n >= 1) {
      try {
        stored.last_value = SequenceValue(it->second, last_n, name);
      } catch (const SqlError&) {  // the counter ran past the bound: the bound was the last value
        stored.last_value = it->second.increment > 0 ? it->second.max_value : it->second.min_value;
      }
      stored.is_called = true;
    }
    if (stored.last_value < stored.min_value || stored.last_value > stored.max_value) {
      bool low = stored.last_value < stored.min_value;
      throw SqlError(sqlstate::kInvalidParameterValue,
                     "RESTART value (" + std::to_string(stored.last_value) + ") cannot be " +
                         (low ? "less than MINVALUE (" + std::to_string(stored.min_value)
                              : "greater than MAXVALUE (" + std::to_string(stored.max_value)) +
                         ")");
    }
    next.snapshot.sequences_.erase(it);
    next.sequence_counters.erase(key);
    std::string new_key = QualifiedName(stored.schema, stored.name);
    if (next.snapshot.sequences_.count(new_key) != 0) throw DuplicateRelation(stored.name);
    next.snapshot.sequences_.emplace(new_key, stored);
    CheckRelationNames(next.snapshot);
    next.sequence_counters[new_key] = store_->Allocate("sequence_id", 1);
  });
}

uint32_t DocumentCatalog::AllocateIndexId() { return static_cast<uint32_t>(store_->Allocate("index_id", 1)); }

}  // namespace tessera::catalog

namespace tessera::catalog {

uint32_t DocumentCatalog::AllocateTableId() {
  return kFirstUserTableId + static_cast<uint32_t>(store_->Allocate("table_id", 1) - 1);
}

void DocumentCatalog::Apply(const std::vector<CatalogChange>& changes) {
  for (const CatalogChange& change : changes) {
    if (change.kind == CatalogChange::Kind::kCreateTable || change.kind == CatalogChange::Kind::kUpdateTable)
      CheckColumns(change.table);
  }
  Change([&](StoredCatalog& next) {
    for (const CatalogChange& change : changes) ApplyChange(next.snapshot, &next.sequence_counters, change, true);
    CheckRelationNames(next.snapshot);
    CheckViewDependencies(next.snapshot);
    CheckForeignKeyReferences(next.snapshot);
  });
}

}  // namespace tessera::catalog
