// The catalog as one transaction sees it: the shared catalog plus the DDL
// the transaction has done, which stays here until COMMIT applies all of it
// as one catalog version (catalog::Catalog::Apply). Other sessions see none
// of a transaction's DDL before its COMMIT and all of it after; ROLLBACK
// forgets it. Data written by the DDL (index builds, rewrites, the rows of a
// dropped table) goes through the transaction as any other write.
//
// Sequences keep their values in the shared catalog's counters, so a
// sequence created in the transaction (a serial column's) is created there
// at once under a private name (`name$<n>`, owned by nothing) and renamed at
// COMMIT; ROLLBACK drops it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"

namespace tessera::executor {

class BlockCatalog final : public catalog::Catalog {
 public:
  explicit BlockCatalog(catalog::Catalog& shared) : shared_(shared) {}

  std::shared_ptr<const catalog::CatalogSnapshot> Snapshot() const override;
  catalog::TableInfo CreateTable(catalog::TableInfo table) override;
  void DropTable(uint32_t table_id) override;
  void UpdateTable(const catalog::TableInfo& table) override;
  void CreateSequence(const catalog::SequenceInfo& seq) override;
  void DropSequence(const std::string& schema, const std::string& name) override;
  int64_t NextVal(const std::string& schema, const std::string& name) override;
  void SetSequenceValue(const std::string& schema, const std::string& name, int64_t last_value,
                        bool is_called) override;
  // Not transactional: the session allows it only outside a transaction block.
  void AlterSequence(const std::string& schema, const std::string& name,
                     const catalog::SequenceInfo& updated) override {
    shared_.AlterSequence(schema, name, updated);
  }
  uint32_t AllocateIndexId() override { return shared_.AllocateIndexId(); }
  uint32_t AllocateTableId() override { return shared_.AllocateTableId(); }
  void Apply(const std::vector<catalog::CatalogChange>& changes) override;

  bool HasChanges() const { return !changes_.empty(); }
  // Savepoints: how many changes there are, and ROLLBACK TO SAVEPOINT's
  // forgetting of those after the first `count` (dropping the sequences
  // they created under private names, as Discard does).
  size_t ChangeCount() const { return changes_.size(); }
  void RollbackTo(size_t count) noexcept;
  // COMMIT, before the transaction's data commits: the changes become one
  // shared catalog version (throws, changing nothing, on a clash).
  void Publish();
  // The data commit failed after Publish: takes the changes back, as far as
  // they can be (a dropped table's sequences restart at their first value).
  void Unpublish() noexcept;
  // After the data committed: the stored data of dropped tables goes.
  void ForgetDroppedTables() noexcept;
  // ROLLBACK: drops the sequences created under private names.
  void Discard() noexcept;

 private:
  const catalog::TableInfo& Existing(uint32_t table_id) const;
  // Checks names as the shared catalog would, against this view plus `change`.
  void Add(catalog::CatalogChange change);
  // The name under which the shared catalog keeps sequence schema.name for
  // this transaction (its private name when created here); 42P01 when absent.
  std::string SharedSequenceName(const std::string& schema, const std::string& name) const;
  // Drops the private sequence of each kRenameSequence change from `first` on.
  void DropPrivateSequences(size_t first) noexcept;

  catalog::Catalog& shared_;
  std::vector<catalog::CatalogChange> changes_;
  // Snapshot() is rebuilt when the shared version or the changes moved.
  mutable std::shared_ptr<const catalog::CatalogSnapshot> view_;
  mutable uint64_t view_shared_version_ = 0;
  mutable size_t view_changes_ = 0;
};

}  // namespace tessera::executor
