#include "catalog/lmdb_catalog.h"

#include <atomic>
#include <mutex>
#include <set>

#include "catalog/catalog_json.h"
#include "common/error.h"
#include "storage/counter_cache.h"
#include "storage/key_encoding.h"

namespace tessera::catalog {

namespace {

constexpr std::string_view kCatalogKey = "catalog/state";

std::string QualifiedName(const std::string& schema, const std::string& name) {
  return (schema.empty() ? std::string("public") : schema) + "." + name;
}

SqlError DuplicateRelation(const std::string& name) {
  return SqlError(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
}

// Tables, indexes (the primary key's included) and sequences share one
// namespace per schema, as PostgreSQL's pg_class does. The previous version
// was valid, so any clash involves the object being changed.
void CheckRelationNames(const CatalogSnapshot& snapshot) {
  std::set<std::string> seen;
  auto add = [&seen](const std::string& schema, const std::string& name) {
    if (name.empty()) return;
    if (!seen.insert(QualifiedName(schema, name)).second) throw DuplicateRelation(name);
  };
  for (const auto& [key, seq] : snapshot.sequences_) add(seq.schema, seq.name);
  for (const auto& [id, table] : snapshot.tables_) {
    add(table.schema, table.name);
    if (!table.primary_key.empty()) add(table.schema, table.primary_key_name);
    for (const IndexInfo& index : table.indexes) add(table.schema, index.name);
  }
}

void CheckColumns(const TableInfo& table) {
  std::set<std::string> names;
  for (const ColumnInfo& column : table.columns) {
    if (!names.insert(column.name).second) {
      throw SqlError(sqlstate::kDuplicateColumn, "column \"" + column.name + "\" specified more than once");
    }
  }
}

class LmdbCatalog final : public Catalog {
 public:
  explicit LmdbCatalog(storage::Engine& engine) : engine_(engine) {
    auto txn = engine_.BeginMeta();
    auto stored = txn->Get(kCatalogKey);
    txn->Rollback();
    if (stored) state_ = DeserializeCatalog(*stored);
    snapshot_.store(std::make_shared<const CatalogSnapshot>(state_.snapshot));
  }

  std::shared_ptr<const CatalogSnapshot> Snapshot() const override { return snapshot_.load(); }

  TableInfo CreateTable(TableInfo table) override {
    std::lock_guard lock(ddl_mutex_);
    StoredCatalog next = state_;
    CheckColumns(table);
    if (table.schema.empty()) table.schema = "public";
    if (!table.primary_key.empty() && table.primary_key_name.empty()) table.primary_key_name = table.name + "_pkey";
    // Check names before spending ids on a table that will not exist.
    next.snapshot.tables_.emplace(0, table);
    CheckRelationNames(next.snapshot);
    next.snapshot.tables_.erase(0);
    table.id = kFirstUserTableId + static_cast<uint32_t>(engine_.AllocateRange("table_id", 1) - 1);
    // Keep ids the caller took from AllocateIndexId (it may have built
    // entries under them); fill in the rest.
    for (IndexInfo& index : table.indexes) {
      if (index.id == 0) index.id = NewIndexId();
    }
    next.snapshot.tables_.emplace(table.id, table);
    Publish(std::move(next));
    return table;
  }

  void DropTable(uint32_t table_id) override {
    std::lock_guard lock(ddl_mutex_);
    StoredCatalog next = state_;
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
    Publish(std::move(next));
    // The rows and index entries go after the catalog entry: if we crash in
    // between, they are unreachable garbage under an id never handed out again.
    std::string prefix = storage::TablePrefix(table_id);
    engine_.DeleteRange(prefix, storage::PrefixEnd(prefix));
  }

  void UpdateTable(const TableInfo& table) override {
    std::lock_guard lock(ddl_mutex_);
    StoredCatalog next = state_;
    auto it = next.snapshot.tables_.find(table.id);
    if (it == next.snapshot.tables_.end()) {
      throw SqlError(sqlstate::kUndefinedTable, "relation \"" + table.name + "\" does not exist");
    }
    CheckColumns(table);
    it->second = table;
    if (it->second.schema.empty()) it->second.schema = "public";
    CheckRelationNames(next.snapshot);
    for (IndexInfo& index : it->second.indexes) {
      if (index.id == 0) index.id = NewIndexId();
    }
    Publish(std::move(next));
  }

  void CreateSequence(const SequenceInfo& seq) override {
    std::lock_guard lock(ddl_mutex_);
    StoredCatalog next = state_;
    SequenceInfo stored = seq;
    if (stored.schema.empty()) stored.schema = "public";
    std::string key = QualifiedName(stored.schema, stored.name);
    if (next.snapshot.sequences_.count(key) != 0) throw DuplicateRelation(stored.name);
    next.snapshot.sequences_.emplace(key, stored);
    CheckRelationNames(next.snapshot);
    next.sequence_counters[key] = engine_.AllocateRange("sequence_id", 1);
    Publish(std::move(next));
  }

  void DropSequence(const std::string& schema, const std::string& name) override {
    std::lock_guard lock(ddl_mutex_);
    StoredCatalog next = state_;
    std::string key = QualifiedName(schema, name);
    if (next.snapshot.sequences_.erase(key) == 0) {
      throw SqlError(sqlstate::kUndefinedTable, "sequence \"" + name + "\" does not exist");
    }
    next.sequence_counters.erase(key);
    Publish(std::move(next));
  }

  int64_t NextVal(const std::string& schema, const std::string& name) override {
    std::string key = QualifiedName(schema, name);
    auto snapshot = Snapshot();
    const SequenceInfo* seq = snapshot->FindSequence(schema, name);
    if (seq == nullptr) throw SqlError(sqlstate::kUndefinedTable, "relation \"" + name + "\" does not exist");
    int64_t counter_id = 0;
    {
      std::lock_guard lock(ddl_mutex_);
      auto it = state_.sequence_counters.find(key);
      if (it != state_.sequence_counters.end()) counter_id = it->second;
    }
    // The n-th value handed out (n from 1) is start + (n - 1) * increment.
    int64_t n = NextCounterValue(counter_id);
    return seq->start + (n - 1) * seq->increment;
  }

  uint32_t AllocateIndexId() override { return NewIndexId(); }

 private:
  uint32_t NewIndexId() { return static_cast<uint32_t>(engine_.AllocateRange("index_id", 1)); }

  int64_t NextCounterValue(int64_t counter_id) { return sequence_cache_.Next("sequence/" + std::to_string(counter_id)); }

  // Writes `next` as a new durable version, then makes it visible.
  void Publish(StoredCatalog next) {
    next.snapshot.version_ = state_.snapshot.version_ + 1;
    auto txn = engine_.BeginMeta();
    txn->Put(kCatalogKey, SerializeCatalog(next));
    txn->Commit();
    state_ = std::move(next);
    snapshot_.store(std::make_shared<const CatalogSnapshot>(state_.snapshot));
  }

  storage::Engine& engine_;
  std::mutex ddl_mutex_;  // serialises changes; guards state_
  StoredCatalog state_;
  std::atomic<std::shared_ptr<const CatalogSnapshot>> snapshot_;
  storage::CounterCache sequence_cache_{engine_, kSequenceCache};
};

}  // namespace

std::unique_ptr<Catalog> OpenLmdbCatalog(storage::Engine& engine) { return std::make_unique<LmdbCatalog>(engine); }

}  // namespace tessera::catalog
