// A pool of reset LMDB read-only transactions. Renewing a reset transaction
// keeps its reader slot and is cheaper than beginning a new one; both
// storage engines hand out snapshots through it. Thread-safe.
#pragma once

#include <lmdb.h>

#include <mutex>
#include <vector>

namespace tessera::storage {

class ReaderPool {
 public:
  // A read-only transaction on a fresh snapshot of `env`.
  MDB_txn* Acquire(MDB_env* env);
  // Returns a transaction from Acquire; its snapshot is dropped at once.
  void Release(MDB_txn* txn);
  // Aborts the idle transactions; call before closing the environment.
  void Clear();

 private:
  static constexpr size_t kMaxIdle = 64;
  std::mutex mutex_;
  std::vector<MDB_txn*> idle_;
};

}  // namespace tessera::storage
