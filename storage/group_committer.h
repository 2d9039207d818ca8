// Group commit: LMDB allows one write transaction at a time and each commit
// costs an fsync, so instead of letting every committing thread fight for the
// writer lock, they hand their work to one committer thread. It drains the
// whole queue, applies every queued request inside ONE LMDB write
// transaction, commits once (one fsync for the lot) and wakes all waiters.
// Under load, N concurrent commits cost one fsync instead of N.
//
// If a batch fails, the committer retries its requests one by one so that one
// bad request (say, one too large for the map) cannot fail its neighbours.
#pragma once

#include <lmdb.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace tessera::storage {

// A transaction's buffered writes in key order; nullopt marks a delete.
// std::less<> allows lookups by string_view without building a string.
using WriteSet = std::map<std::string, std::optional<std::string>, std::less<>>;

struct CommitRequest {
  enum class Kind : uint8_t { kWrites, kDeleteRange, kAllocate };
  Kind kind = Kind::kWrites;
  MDB_dbi dbi = 0;
  const WriteSet* writes = nullptr;  // kWrites
  // kWrites: writes to further databases, applied in the same LMDB write
  // transaction, for a commit that must land whole across databases (an MVCC
  // cluster commit: versions, prepare record and transaction record).
  std::vector<std::pair<MDB_dbi, const WriteSet*>> more_writes;
  std::string_view start;            // kDeleteRange: first key; kAllocate: counter name
  std::string_view end;              // kDeleteRange: end (exclusive, empty: unbounded)
  int64_t count = 0;                 // kAllocate
  int64_t result = 0;                // kAllocate: first value of the range
  // Set by the committer under its mutex.
  bool done = false;
  std::exception_ptr error;
};

class GroupCommitter {
 public:
  explicit GroupCommitter(MDB_env* env);
  ~GroupCommitter();  // drains the queue, then stops the thread
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues the request and blocks until it is durable; rethrows its error.
  void Submit(CommitRequest* request);
  // LMDB write transactions committed so far (tests check batching).
  uint64_t CommitCount() const;

 private:
  void Run();
  // Applies the batch in one write transaction; on failure, one by one.
  void ApplyBatch(const std::vector<CommitRequest*>& batch);
  // One write transaction over `batch`; throws on any failure.
  void CommitOnce(const std::vector<CommitRequest*>& batch);
  static void Apply(MDB_txn* txn, CommitRequest* request);

  MDB_env* env_;
  mutable std::mutex mutex_;
  std::condition_variable queue_cv_;  // committer waits for work
  std::condition_variable done_cv_;   // submitters wait for their batch
  std::vector<CommitRequest*> queue_;
  bool stop_ = false;
  uint64_t commits_ = 0;
  std::thread thread_;
};

}  // namespace tessera::storage
