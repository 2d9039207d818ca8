// The embedded backend behind OpenEmbeddedDatabase: one MVCC storage engine
// (rows, index entries and the catalog, all versioned), its LMDB catalog, and
// fragments run in-process against the session's MvccTransaction.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "executor/backend.h"
#include "executor/database.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::executor {

class EmbeddedDatabase final : public Backend {
 public:
  explicit EmbeddedDatabase(const DatabaseOptions& options);

  catalog::Catalog& Catalog() override { return *catalog_; }
  bool SingleProcess() const override { return true; }
  std::unique_ptr<BackendTxn> Begin(const storage::mvcc::TxnOptions& options) override;
  void Interrupt(uint64_t txn_id) override { engine_->Locks().Interrupt(txn_id); }
  int64_t AllocateRange(const std::string& counter, int64_t count) override {
    return engine_->AllocateRange(counter, count);
  }
  int64_t NextVal(const std::string& qualified_name) override;

  storage::mvcc::MvccEngine& Mvcc() { return *engine_; }

 private:
  std::unique_ptr<storage::mvcc::MvccEngine> engine_;
  std::unique_ptr<catalog::Catalog> catalog_;
  bool encode_fragments_ = false;
};

// "schema.name" (or "name", in public) split in two.
std::pair<std::string, std::string> SplitQualifiedName(const std::string& qualified_name);

}  // namespace tessera::executor
