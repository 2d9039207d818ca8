#include "storage/group_committer.h"

#include <cstring>

#include "common/error.h"
#include "storage/lmdb_util.h"

namespace tessera::storage {

GroupCommitter::GroupCommitter(MDB_env* env) : env_(env) { thread_ = std::thread([this] { Run(); }); }

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  queue_cv_.notify_one();
  thread_.join();
}

void GroupCommitter::Submit(CommitRequest* request) {
  std::unique_lock lock(mutex_);
  TS_ASSERT(!stop_, "commit submitted after the engine began closing");
  queue_.push_back(request);
  // Only the first request of a batch needs to wake the committer; later ones
  // ride along with whatever it drains next.
  if (queue_.size() == 1) queue_cv_.notify_one();
  done_waiters_.Wait(lock, [request] { return request->done; });
  if (request->error) std::rethrow_exception(request->error);
  if (request->position == 0 || !barrier_) return;
  std::function<void(uint64_t)> barrier = barrier_;
  lock.unlock();
  barrier(request->position);
}

void GroupCommitter::SetDurabilityBarrier(std::function<void(uint64_t position)> barrier) {
  std::lock_guard lock(mutex_);
  barrier_ = std::move(barrier);
}

uint64_t GroupCommitter::CommitCount() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

void GroupCommitter::Run() {
  std::vector<CommitRequest*> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      queue_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
    }
    ApplyBatch(batch);
    std::vector<std::shared_ptr<WaitSlot>> waiters;
    {
      std::lock_guard lock(mutex_);
      for (CommitRequest* request : batch) request->done = true;
      waiters = done_waiters_.Take();
    }
    WaitList::WakeAll(waiters);
    batch.clear();
  }
}

void GroupCommitter::ApplyBatch(const std::vector<CommitRequest*>& batch) {
  try {
    CommitOnce(batch);
    return;
  } catch (...) {
    if (batch.size() == 1) {
      batch[0]->error = std::current_exception();
      return;
    }
  }
  for (CommitRequest* request : batch) {
    request->result = 0;
    try {
      CommitOnce({request});
    } catch (...) {
      request->error = std::current_exception();
    }
  }
}

void GroupCommitter::CommitOnce(const std::vector<CommitRequest*>& batch) {
  MDB_txn* txn = nullptr;
  CheckLmdb(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
  uint64_t position = 0;
  try {
    if (log_ == nullptr) {
      for (CommitRequest* request : batch) Apply(txn, request, nullptr);
    } else {
      LogRecordWriter record = log_->NewWriter();
      for (CommitRequest* request : batch) Apply(txn, request, &record);
      if (!record.Empty()) position = log_->Append(txn, record.Finish(log_->Epoch()));
    }
  } catch (...) {
    mdb_txn_abort(txn);
    if (log_ != nullptr) log_->Abandoned();
    throw;
  }
  // mdb_txn_commit frees the transaction even when it fails.
  int rc = mdb_txn_commit(txn);
  if (log_ != nullptr) {
    if (rc != MDB_SUCCESS) log_->Abandoned();
    else log_->Published();
  }
  CheckLmdb(rc, "mdb_txn_commit");
  for (CommitRequest* request : batch) {
    if (request->kind == CommitRequest::Kind::kApplyLog) {
      request->position = request->records->empty() ? 0 : request->records->back().first;
    } else if (request->kind != CommitRequest::Kind::kTrimLog) {
      request->position = position;
    }
  }
  std::lock_guard lock(mutex_);
  ++commits_;
}

namespace {

// `record` (when replicating) gets every change as it is made; `database` is
// the dbi's index in the log.
void ApplyWrites(MDB_txn* txn, MDB_dbi dbi, const WriteSet& writes, LogRecordWriter* record, uint8_t database) {
  for (const auto& [key, value] : writes) {
    MDB_val k = ToVal(key);
    if (value) {
      MDB_val v = ToVal(*value);
      CheckLmdb(mdb_put(txn, dbi, &k, &v, 0), "mdb_put");
      if (record) record->Put(database, key, *value);
      continue;
    }
    int rc = mdb_del(txn, dbi, &k, nullptr);
    if (rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_del");
    // Logged even when absent here: the backup holds the same keys, and a
    // delete of nothing is harmless there too.
    if (record) record->Delete(database, key);
  }
}

void DeleteRange(MDB_txn* txn, MDB_dbi dbi, std::string_view start, std::string_view end) {
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
  try {
    for (;;) {
      // Reposition after every delete rather than rely on the cursor's
      // post-delete position, which LMDB defines loosely across page merges.
      MDB_val k = ToVal(start), v;
      int rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
      if (rc == MDB_NOTFOUND) break;
      CheckLmdb(rc, "mdb_cursor_get");
      if (!end.empty() && FromVal(k) >= end) break;
      CheckLmdb(mdb_cursor_del(cursor, 0), "mdb_cursor_del");
    }
  } catch (...) {
    mdb_cursor_close(cursor);
    throw;
  }
  mdb_cursor_close(cursor);
}

int64_t Allocate(MDB_txn* txn, MDB_dbi dbi, std::string_view name, int64_t count) {
  MDB_val k = ToVal(name), v;
  int64_t next = 1;  // counters start at 1
  int rc = mdb_get(txn, dbi, &k, &v);
  if (rc == MDB_SUCCESS) {
    TS_ASSERT(v.mv_size == sizeof(next), "counter value has 8 bytes");
    std::memcpy(&next, v.mv_data, sizeof(next));
  } else if (rc != MDB_NOTFOUND) {
    CheckLmdb(rc, "mdb_get");
  }
  int64_t after = next + count;
  MDB_val nv{sizeof(after), &after};
  CheckLmdb(mdb_put(txn, dbi, &k, &nv, 0), "mdb_put");
  return next;
}

}  // namespace

void GroupCommitter::Apply(MDB_txn* txn, CommitRequest* request, LogRecordWriter* record) {
  auto index = [&](MDB_dbi dbi) { return record ? log_->DatabaseIndex(dbi) : uint8_t{0}; };
  switch (request->kind) {
    case CommitRequest::Kind::kWrites:
      ApplyWrites(txn, request->dbi, *request->writes, record, index(request->dbi));
      for (const auto& [dbi, writes] : request->more_writes) ApplyWrites(txn, dbi, *writes, record, index(dbi));
      return;
    case CommitRequest::Kind::kDeleteRange:
      DeleteRange(txn, request->dbi, request->start, request->end);
      if (record) record->DeleteRange(index(request->dbi), request->start, request->end);
      return;
    case CommitRequest::Kind::kAllocate: {
      request->result = Allocate(txn, request->dbi, request->start, request->count);
      if (record) {
        int64_t after = request->result + request->count;
        record->Put(index(request->dbi), request->start,
                    std::string_view(reinterpret_cast<const char*>(&after), sizeof(after)));
      }
      return;
    }
    case CommitRequest::Kind::kApplyLog:
      TS_ASSERT(log_ != nullptr, "applying replication records needs a log");
      log_->ApplyRecords(txn, *request->records);
      return;
    case CommitRequest::Kind::kTrimLog:
      TS_ASSERT(log_ != nullptr, "trimming needs a log");
      log_->TrimBelow(txn, request->trim_below, 10000);
      return;
  }
}

}  // namespace tessera::storage
