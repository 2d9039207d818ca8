// The embedded database behind OpenEmbeddedDatabase: one MVCC storage engine
// (rows, index entries and the catalog, all versioned), its LMDB catalog, and
// the SQL sessions over them.
#pragma once

#include <memory>
#include <string>

#include "catalog/catalog.h"
#include "executor/database.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::executor {

class EmbeddedDatabase final : public SessionFactory {
 public:
  explicit EmbeddedDatabase(const DatabaseOptions& options);
  std::unique_ptr<Session> NewSession() override;

  storage::Engine& Engine() { return *engine_; }
  storage::mvcc::MvccEngine& Mvcc() { return *engine_; }
  catalog::Catalog& Catalog() { return *catalog_; }
  bool EncodeFragments() const { return encode_fragments_; }
  // nextval of "schema.name".
  int64_t NextVal(const std::string& qualified_name);

 private:
  std::unique_ptr<storage::mvcc::MvccEngine> engine_;
  std::unique_ptr<catalog::Catalog> catalog_;
  bool encode_fragments_ = false;
};

}  // namespace tessera::executor
