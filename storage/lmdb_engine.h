// Engine over one LMDB environment with two named databases: "data" (rows
// and index entries, keys from key_encoding.h) and "meta" (counters and the
// catalog). Reads run on LMDB read-only transactions opened with MDB_NOTLS,
// so a SQL transaction's snapshot may move between worker threads; all
// writes funnel through one GroupCommitter so LMDB's single writer lock is
// never contended and concurrent commits share one fsync.
#pragma once

#include <lmdb.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/engine.h"
#include "storage/group_committer.h"
#include "storage/reader_pool.h"

namespace tessera::storage {

class LmdbEngine final : public Engine {
 public:
  LmdbEngine(const std::string& dir, const EngineOptions& options);
  // Every Transaction must be gone before the engine closes.
  ~LmdbEngine() override;

  std::unique_ptr<Transaction> Begin() override;
  std::unique_ptr<Transaction> BeginMeta() override;
  void DeleteRange(std::string_view start, std::string_view end) override;
  int64_t AllocateRange(std::string_view name, int64_t count) override;

  // LMDB write transactions committed (each one fsync when sync is on).
  uint64_t CommitCount() const { return committer_->CommitCount(); }

  // For LmdbTransaction: a read-only transaction on a fresh snapshot, taken
  // from a pool of reset ones (renewing keeps the reader slot, cheaper than
  // a new transaction), and its return.
  MDB_txn* AcquireReader() { return readers_.Acquire(env_); }
  void ReleaseReader(MDB_txn* txn) { readers_.Release(txn); }
  GroupCommitter& Committer() { return *committer_; }
  size_t MaxKeySize() const { return max_key_size_; }

 private:
  MDB_env* env_ = nullptr;
  MDB_dbi data_dbi_ = 0;
  MDB_dbi meta_dbi_ = 0;
  size_t max_key_size_ = 0;
  std::unique_ptr<GroupCommitter> committer_;
  ReaderPool readers_;
};

}  // namespace tessera::storage
