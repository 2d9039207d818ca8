// The catalog document in LMDB: one process writes it, so the version token
// is simply the document's own version counter.
#include "catalog/lmdb_catalog.h"

#include "storage/key_encoding.h"

namespace tessera::catalog {

namespace {

constexpr std::string_view kCatalogKey = "catalog/state";

class LmdbCatalogStore final : public CatalogStore {
 public:
  explicit LmdbCatalogStore(storage::Engine& engine) : engine_(engine) {}

  std::optional<std::string> Load(uint64_t* token) override {
    auto txn = engine_.BeginMeta();
    auto stored = txn->Get(kCatalogKey);
    txn->Rollback();
    *token = version_;
    return stored;
  }

  // DocumentCatalog serialises every change under its mutex, and nothing
  // else writes this key, so the swap cannot lose; the token only guards
  // against a caller working from a stale load.
  bool CompareAndSwap(const std::string& document, uint64_t* token) override {
    if (*token != version_) return false;
    auto txn = engine_.BeginMeta();
    txn->Put(kCatalogKey, document);
    txn->Commit();
    *token = ++version_;
    return true;
  }

  int64_t Allocate(const std::string& name, int64_t count) override { return engine_.AllocateRange(name, count); }

  void ForgetTable(uint32_t table_id) override {
    std::string prefix = storage::TablePrefix(table_id);
    engine_.DeleteRange(prefix, storage::PrefixEnd(prefix));
  }

 private:
  storage::Engine& engine_;
  uint64_t version_ = 0;
};

}  // namespace

std::unique_ptr<Catalog> OpenLmdbCatalog(storage::Engine& engine) {
  return std::make_unique<DocumentCatalog>(std::make_unique<LmdbCatalogStore>(engine));
}

}  // namespace tessera::catalog
