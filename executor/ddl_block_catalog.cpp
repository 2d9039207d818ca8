// A transaction's view of the catalog and its DDL until COMMIT (ddl_block_catalog.h).
#include "executor/ddl_block_catalog.h"

#include <atomic>

#include <spdlog/spdlog.h>

#include "common/error.h"

namespace tessera::executor {

namespace {

using catalog::CatalogChange;
using Kind = catalog::CatalogChange::Kind;

// Versions of transaction views never equal a shared version (nor each
// other), so a plan made against one is made again once it is gone.
uint64_t NextViewVersion() {
  static std::atomic<uint64_t> counter{0};
  return (uint64_t{1} << 63) | ++counter;
}

std::string SchemaOr(const std::string& schema) { return schema.empty() ? "public" : schema; }

}  // namespace

std::shared_ptr<const catalog::CatalogSnapshot> BlockCatalog::Snapshot() const {
  auto shared = shared_.Snapshot();
  if (changes_.empty()) return shared;
  if (view_ && view_shared_version_ == shared->Version() && view_changes_ == changes_.size()) return view_;
  auto view = std::make_shared<catalog::CatalogSnapshot>(*shared);
  for (const CatalogChange& change : changes_) catalog::ApplyChange(*view, nullptr, change, false);
  view->version_ = NextViewVersion();
  view_ = view;
  view_shared_version_ = shared->Version();
  view_changes_ = changes_.size();
  return view_;
}

const catalog::TableInfo& BlockCatalog::Existing(uint32_t table_id) const {
  const catalog::TableInfo* table = Snapshot()->FindTableById(table_id);
  if (table == nullptr)
    throw SqlError(sqlstate::kUndefinedTable, "table with OID " + std::to_string(table_id) + " does not exist");
  return *table;
}

void BlockCatalog::Add(CatalogChange change) {
  catalog::CatalogSnapshot next = *Snapshot();
  catalog::ApplyChange(next, nullptr, change, true);
  catalog::CheckRelationNames(next);
  catalog::CheckViewDependencies(next);
  catalog::CheckForeignKeyReferences(next);
  changes_.push_back(std::move(change));
}

catalog::TableInfo BlockCatalog::CreateTable(catalog::TableInfo table) {
  table.schema = SchemaOr(table.schema);
  if (!table.primary_key.empty() && table.primary_key_name.empty()) table.primary_key_name = table.name + "_pkey";
  // Names first, so that no id is spent on a table that will not exist.
  catalog::CatalogSnapshot next = *Snapshot();
  next.tables_.emplace(0, table);
  catalog::CheckRelationNames(next);
  table.id = shared_.AllocateTableId();
  for (catalog::ForeignKeyInfo& fk : table.foreign_keys)
    if (fk.ref_table == 0) fk.ref_table = table.id;  // the table references itself
  for (catalog::IndexInfo& index : table.indexes)
    if (index.id == 0) index.id = shared_.AllocateIndexId();
  CatalogChange change;
  change.kind = Kind::kCreateTable;
  change.table = table;
  Add(std::move(change));
  return table;
}

void BlockCatalog::DropTable(uint32_t table_id) {
  CatalogChange change;
  change.kind = Kind::kDropTable;
  change.before = Existing(table_id);
  Add(std::move(change));
}

void BlockCatalog::UpdateTable(const catalog::TableInfo& table) {
  CatalogChange change;
  change.kind = Kind::kUpdateTable;
  change.before = Existing(table.id);
  change.table = table;
  change.table.schema = SchemaOr(table.schema);
  for (catalog::IndexInfo& index : change.table.indexes)
    if (index.id == 0) index.id = shared_.AllocateIndexId();
  Add(std::move(change));
}

void BlockCatalog::CreateSequence(const catalog::SequenceInfo& seq) {
  CatalogChange change;
  change.kind = Kind::kRenameSequence;
  change.sequence = seq;
  change.sequence.schema = SchemaOr(seq.schema);
  catalog::CatalogSnapshot next = *Snapshot();
  next.sequences_[change.sequence.schema + "." + seq.name] = change.sequence;
  catalog::CheckRelationNames(next);
  // No generated name contains '$'.
  change.from_name = seq.name + "$" + std::to_string(shared_.AllocateIndexId());
  catalog::SequenceInfo hidden = change.sequence;
  hidden.name = change.from_name;
  hidden.owned_by_table.clear();
  shared_.CreateSequence(hidden);
  changes_.push_back(std::move(change));
}

void BlockCatalog::DropSequence(const std::string& schema, const std::string& name) {
  const catalog::SequenceInfo* seq = Snapshot()->FindSequence(schema, name);
  if (seq == nullptr) throw SqlError(sqlstate::kUndefinedTable, "sequence \"" + name + "\" does not exist");
  CatalogChange change;
  change.kind = Kind::kDropSequence;
  change.sequence = *seq;
  Add(std::move(change));
}

std::string BlockCatalog::SharedSequenceName(const std::string& schema, const std::string& name) const {
  // The newest creation of that name in this transaction, if any, unless dropped since.
  for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) {
    if (it->sequence.name != name || it->sequence.schema != SchemaOr(schema)) continue;
    if (it->kind == Kind::kDropSequence) break;
    if (it->kind == Kind::kRenameSequence) return it->from_name;
  }
  if (Snapshot()->FindSequence(schema, name) == nullptr)
    throw SqlError(sqlstate::kUndefinedTable, "relation \"" + name + "\" does not exist");
  return name;
}

int64_t BlockCatalog::NextVal(const std::string& schema, const std::string& name) {
  return shared_.NextVal(SchemaOr(schema), SharedSequenceName(schema, name));
}

void BlockCatalog::SetSequenceValue(const std::string& schema, const std::string& name, int64_t last_value,
                                    bool is_called) {
  shared_.SetSequenceValue(SchemaOr(schema), SharedSequenceName(schema, name), last_value, is_called);
}

void BlockCatalog::Apply(const std::vector<CatalogChange>& changes) {
  for (const CatalogChange& change : changes) Add(change);
}

void BlockCatalog::Publish() { shared_.Apply(changes_); }

void BlockCatalog::Unpublish() noexcept {
  std::vector<CatalogChange> undo;
  for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) {
    CatalogChange inverse;
    switch (it->kind) {
      case Kind::kCreateTable:
        inverse.kind = Kind::kDropTable;
        inverse.before = it->table;
        break;
      case Kind::kDropTable:
        inverse.kind = Kind::kCreateTable;
        inverse.table = it->before;
        break;
      case Kind::kUpdateTable:
        inverse.kind = Kind::kUpdateTable;
        inverse.before = it->table;
        inverse.table = it->before;
        break;
      case Kind::kRenameSequence:
        inverse.kind = Kind::kDropSequence;
        inverse.sequence = it->sequence;
        break;
      case Kind::kDropSequence: continue;  // its counter is gone
    }
    undo.push_back(std::move(inverse));
  }
  try {
    shared_.Apply(undo);
  } catch (const std::exception& e) {
    spdlog::error("could not take back the catalog changes of a transaction whose commit failed: {}", e.what());
  }
  changes_.clear();
}

void BlockCatalog::ForgetDroppedTables() noexcept {
  for (const CatalogChange& change : changes_) {
    if (change.kind != Kind::kDropTable) continue;
    try {
      shared_.ForgetTable(change.before.id);
    } catch (const std::exception& e) {
      spdlog::warn("dropping the data of table {}: {}", change.before.id, e.what());
    }
  }
  changes_.clear();
}

void BlockCatalog::Discard() noexcept {
  DropPrivateSequences(0);
  changes_.clear();
}

void BlockCatalog::RollbackTo(size_t count) noexcept {
  if (count >= changes_.size()) return;
  DropPrivateSequences(count);
  changes_.erase(changes_.begin() + static_cast<std::ptrdiff_t>(count), changes_.end());
  view_.reset();  // the change count alone no longer tells the view is current
}

void BlockCatalog::DropPrivateSequences(size_t first) noexcept {
  for (size_t i = first; i < changes_.size(); ++i) {
    const CatalogChange& change = changes_[i];
    if (change.kind != Kind::kRenameSequence) continue;
    try {
      shared_.DropSequence(change.sequence.schema, change.from_name);
    } catch (const std::exception& e) {
      spdlog::debug("dropping sequence {}: {}", change.from_name, e.what());
    }
  }
}

}  // namespace tessera::executor
