// The catalog as one versioned JSON document (catalog_json.h) in some store:
// the node's LMDB meta space in embedded mode (lmdb_catalog.h), etcd in a
// cluster (cluster/gateway/etcd_catalog_store.h). The logic of every change
// lives here once; a store only loads, compare-and-swaps and allocates.
//
// Every change (CREATE/DROP/ALTER) runs under one mutex: copy the current
// state, apply and validate the change, write the whole new version with a
// compare-and-swap against the version it was based on, then publish the new
// snapshot with an atomic pointer swap. Readers only load that pointer, so
// planning never waits for DDL, and a statement holding a snapshot keeps a
// consistent version however long it runs. When the swap fails (another
// gateway changed the catalog first), the change is retried on a fresh load.
//
// Ids come from store counters so they are never reused, even after a
// crash: table ids start at 16384 (PostgreSQL's first user OID), index ids
// at 1 (0 is the primary index). Sequences hand out values from blocks of
// kSequenceCache reserved in one durable counter update; values cached when
// the process stops are skipped after restart, as with PostgreSQL's CACHE.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "catalog/catalog_json.h"
#include "storage/counter_cache.h"

namespace tessera::catalog {

inline constexpr uint32_t kFirstUserTableId = 16384;
inline constexpr int64_t kSequenceCache = 32;

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  // The stored document and an opaque token of its version (nullopt: none yet).
  virtual std::optional<std::string> Load(uint64_t* token) = 0;
  // Stores `document` if the stored version is still `*token` and sets
  // `*token` to the new version; false (nothing stored) otherwise. Returns
  // once the new version is durable (and, in a cluster, seen by every gateway).
  virtual bool CompareAndSwap(const std::string& document, uint64_t* token) = 0;
  // The first of `count` fresh values of counter `name` (starting at 1).
  virtual int64_t Allocate(const std::string& name, int64_t count) = 0;
  // After a table left the catalog: drop whatever data the store keeps for it.
  virtual void ForgetTable(uint32_t table_id) { (void)table_id; }
};

class DocumentCatalog final : public Catalog {
 public:
  explicit DocumentCatalog(std::unique_ptr<CatalogStore> store);

  std::shared_ptr<const CatalogSnapshot> Snapshot() const override { return snapshot_.load(); }
  TableInfo CreateTable(TableInfo table) override;
  void DropTable(uint32_t table_id) override;
  void UpdateTable(const TableInfo& table) override;
  void CreateSequence(const SequenceInfo& seq) override;
  void DropSequence(const std::string& schema, const std::string& name) override;
  int64_t NextVal(const std::string& schema, const std::string& name) override;
  void SetSequenceValue(const std::string& schema, const std::string& name, int64_t last_value,
                        bool is_called) override;
  void AlterSequence(const std::string& schema, const std::string& name, const SequenceInfo& updated) override;
  uint32_t AllocateIndexId() override;
  uint32_t AllocateTableId() override;
  void Apply(const std::vector<CatalogChange>& changes) override;
  void ForgetTable(uint32_t table_id) override { store_->ForgetTable(table_id); }
  RoleInfo CreateRole(RoleInfo role) override;  // role_catalog.cpp
  void UpdateRole(const std::string& name, const RoleInfo& role) override;
  bool DropRole(const std::string& name) override;
  void SetSchemaAcl(const std::string& schema, const Acl& acl) override;

  // SELECT last_value, is_called FROM a sequence (pg_dump reads it): the
  // last value handed out, without moving the sequence. Right only where
  // this process hands out every value (CounterCache::LastHandedOut).
  std::pair<int64_t, bool> SequencePosition(const std::string& schema, const std::string& name);

  // Re-reads the store (a cluster gateway calls this when etcd reports a
  // change made elsewhere). Returns the version now published.
  uint64_t Reload();

 private:
  // Applies `change` to a copy of the state and stores it, retrying on a
  // fresh load while another writer wins the compare-and-swap.
  void Change(const std::function<void(StoredCatalog&)>& change);
  void LoadLocked();
  int64_t SequenceCounter(const std::string& key);

  std::unique_ptr<CatalogStore> store_;
  // Serialises changes and reloads; guards state_ and token_. Held across
  // the store's requests (etcd, on a cluster), which park: its waiters park too.
  FiberMutex mutex_;
  StoredCatalog state_;
  uint64_t token_ = 0;
  std::atomic<std::shared_ptr<const CatalogSnapshot>> snapshot_;
  storage::CounterCache sequence_cache_;
};

}  // namespace tessera::catalog
