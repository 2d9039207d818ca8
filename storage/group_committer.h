// Group commit: LMDB allows one write transaction at a time and each commit
// costs an fsync, so instead of letting every committing thread fight for the
// writer lock, they hand their work to one committer thread. It drains the
// whole queue, applies every queued request inside ONE LMDB write
// transaction, commits once (one fsync for the lot) and wakes all waiters.
// Under load, N concurrent commits cost one fsync instead of N.
//
// If a batch fails, the committer retries its requests one by one so that one
// bad request (say, one too large for the map) cannot fail its neighbours.
//
// Replication (replication_log.h): with a log attached, every write
// transaction also stores the record of what it changed under the next log
// position, and each request learns that position; a request of a backup
// (kApplyLog) applies the primary's records instead. A durability barrier,
// when set, runs in the submitting thread after its request is durable here
// and before Submit returns: the primary waits there for its in-sync backups,
// so nothing is acknowledged that only this node has, while the committer
// thread goes on with the next batch (pipelining).
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
#include <functional>
#include <vector>

#include "common/fiber.h"
#include "storage/replication_log.h"

namespace tessera::storage {

// A transaction's buffered writes in key order; nullopt marks a delete.
// std::less<> allows lookups by string_view without building a string.
using WriteSet = std::map<std::string, std::optional<std::string>, std::less<>>;

struct CommitRequest {
  enum class Kind : uint8_t { kWrites, kDeleteRange, kAllocate, kApplyLog, kTrimLog };
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
  const std::vector<PositionedRecord>* records = nullptr;  // kApplyLog
  uint64_t trim_below = 0;                                  // kTrimLog
  // Set by the committer: the log position of the write transaction that
  // made this request durable (0 without a log, or when it changed nothing).
  uint64_t position = 0;
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

  // Queues the request and waits until it is durable; rethrows its error.
  // On a fiber the wait parks it (common/fiber.h), so sessions waiting for
  // an fsync, or for backups in the durability barrier, hold no worker.
  void Submit(CommitRequest* request);
  // LMDB write transactions committed so far (tests check batching).
  uint64_t CommitCount() const;
  // Before the first Submit: records every write transaction in `log`.
  void AttachLog(ReplicationLog* log) { log_ = log; }
  ReplicationLog* Log() const { return log_; }
  // Runs after a request is durable and before its Submit returns, with its
  // log position (see above). Must not throw; an empty function removes it.
  void SetDurabilityBarrier(std::function<void(uint64_t position)> barrier);

 private:
  void Run();
  // Applies the batch in one write transaction; on failure, one by one.
  void ApplyBatch(const std::vector<CommitRequest*>& batch);
  // One write transaction over `batch`; throws on any failure.
  void CommitOnce(const std::vector<CommitRequest*>& batch);
  void Apply(MDB_txn* txn, CommitRequest* request, LogRecordWriter* record);

  MDB_env* env_;
  mutable std::mutex mutex_;
  std::condition_variable queue_cv_;  // committer waits for work
  WaitList done_waiters_;             // submitters wait for their batch
  std::vector<CommitRequest*> queue_;
  bool stop_ = false;
  uint64_t commits_ = 0;
  ReplicationLog* log_ = nullptr;
  std::function<void(uint64_t)> barrier_;  // under mutex_
  std::thread thread_;
};

}  // namespace tessera::storage
