#include "storage/reader_pool.h"

#include "storage/lmdb_util.h"

namespace tessera::storage {

MDB_txn* ReaderPool::Acquire(MDB_env* env) {
  MDB_txn* txn = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      txn = idle_.back();
      idle_.pop_back();
    }
  }
  if (txn != nullptr) {
    int rc = mdb_txn_renew(txn);
    if (rc == MDB_SUCCESS) return txn;
    mdb_txn_abort(txn);
  }
  CheckLmdb(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn), "mdb_txn_begin (read)");
  return txn;
}

void ReaderPool::Release(MDB_txn* txn) {
  // Reset drops the snapshot at once so old pages can be reused by writers.
  mdb_txn_reset(txn);
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) {
    idle_.push_back(txn);
    return;
  }
  mdb_txn_abort(txn);
}

void ReaderPool::Clear() {
  std::lock_guard lock(mutex_);
  for (MDB_txn* txn : idle_) mdb_txn_abort(txn);
  idle_.clear();
}

}  // namespace tessera::storage
