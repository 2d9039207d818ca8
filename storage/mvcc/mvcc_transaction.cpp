#include "storage/mvcc/mvcc_transaction.h"

#include "common/error.h"
#include "storage/mvcc/mvcc_iterator.h"
#include "storage/mvcc/version_reader.h"

namespace tessera::storage::mvcc {

namespace {

SqlError SerializationFailure() {
  return SqlError(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
}

}  // namespace

MvccTransaction::MvccTransaction(MvccEngine* engine, KeySpace space, const TxnOptions& options)
    : engine_(engine), space_(space), dbi_(engine->Dbi(space)), options_(options), id_(engine->NextTxnId()) {
  if (!options_.lock_timeout) options_.lock_timeout = engine->DefaultLockTimeout();
  // The watermark first, the LMDB snapshot second: the read transaction then
  // holds every commit at or below the watermark (snapshot_tracker.h).
  snapshot_ts_ = engine_->OpenSnapshot();
  try {
    reader_ = engine_->AcquireReader();
  } catch (...) {
    engine_->CloseSnapshot(snapshot_ts_);
    throw;
  }
}

MvccTransaction::~MvccTransaction() {
  if (open_) Finish();
}

void MvccTransaction::CheckOpen() const { TS_ASSERT(open_, "transaction used after commit or rollback"); }

void MvccTransaction::CheckKey(std::string_view key) const {
  CheckOpen();
  // Refused here, at the statement that wrote the key, rather than failing
  // the whole group commit later; the limit leaves room for the timestamp.
  if (key.empty() || key.size() > engine_->MaxUserKeySize()) {
    throw SqlError(sqlstate::kProgramLimitExceeded, "index row size " + std::to_string(key.size()) +
                                                        " exceeds maximum " +
                                                        std::to_string(engine_->MaxUserKeySize()) + " for index");
  }
}

std::string MvccTransaction::LockKey(std::string_view key) const {
  // One lock table for both key spaces; the first byte keeps them apart.
  std::string lock_key(1, space_ == KeySpace::kData ? 'd' : 'm');
  lock_key.append(key);
  return lock_key;
}

std::optional<std::string> MvccTransaction::Get(std::string_view key) {
  CheckOpen();
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  if (key.empty() || key.size() > engine_->MaxUserKeySize()) return std::nullopt;
  std::optional<std::string_view> row = ReadVisible(reader_, dbi_, key, snapshot_ts_);
  if (!row) return std::nullopt;
  return std::string(*row);
}

std::unique_ptr<Iterator> MvccTransaction::Scan(std::string_view start, std::string_view end) {
  CheckOpen();
  return std::make_unique<MvccIterator>(reader_, dbi_, snapshot_ts_, writes_, start, end);
}

WriteOutcome MvccTransaction::Write(std::string_view key, std::optional<std::string> value) {
  CheckKey(key);
  auto it = writes_.find(key);
  if (it != writes_.end()) {  // locked and checked on the first write
    it->second = std::move(value);
    return WriteOutcome::kDone;
  }
  engine_->Locks().Acquire(id_, LockKey(key), *options_.lock_timeout);
  return Record(key, std::move(value));
}

WriteOutcome MvccTransaction::TryWrite(std::string_view key, std::optional<std::string> value,
                                       std::function<void()> on_ready) {
  CheckKey(key);
  auto it = writes_.find(key);
  if (it != writes_.end()) {
    it->second = std::move(value);
    return WriteOutcome::kDone;
  }
  switch (engine_->Locks().TryAcquire(id_, LockKey(key), std::move(on_ready))) {
    case AcquireResult::kGranted:
      return Record(key, std::move(value));
    case AcquireResult::kWaiting:
      return WriteOutcome::kWaiting;
    case AcquireResult::kDeadlock:
      break;
  }
  throw SqlError(sqlstate::kDeadlockDetected, "deadlock detected");
}

Transaction::RowLock MvccTransaction::LockRow(std::string_view key, std::optional<std::string_view> current) {
  RowLock lock;
  CheckKey(key);
  if (writes_.find(key) != writes_.end()) return lock;  // ours since an earlier write
  std::optional<std::string> value;
  if (current) value.emplace(*current);
  if (Write(key, std::move(value)) != WriteOutcome::kNewerVersionCommitted) return lock;
  // READ COMMITTED over a newer commit: buffer the newest version, not the
  // stale one we read, so a caller that skips the row changes nothing.
  lock.changed = true;
  lock.latest = GetLatestCommitted(key);
  writes_[std::string(key)] = lock.latest;
  return lock;
}

bool MvccTransaction::CancelWait() { return engine_->Locks().CancelWait(id_); }

Timestamp MvccTransaction::NewestCommitted(std::string_view key) {
  // A fresh LMDB snapshot, not ours: the question is what is committed now.
  // Holding the key's lock, no commit of this key is in flight, so the
  // answer cannot change until we release it.
  MDB_txn* latest = engine_->AcquireReader();
  Timestamp ts = kNoTimestamp;
  try {
    ts = NewestVersion(latest, dbi_, key);
  } catch (...) {
    engine_->ReleaseReader(latest);
    throw;
  }
  engine_->ReleaseReader(latest);
  return ts;
}

WriteOutcome MvccTransaction::Record(std::string_view key, std::optional<std::string> value) {
  Timestamp newest = NewestCommitted(key);
  WriteOutcome outcome = WriteOutcome::kDone;
  if (newest > snapshot_ts_) {
    // Someone committed this key after our snapshot (maybe the writer we
    // waited for). Snapshot isolation forbids writing over a change we
    // cannot see: first committer wins.
    if (options_.isolation == IsolationLevel::kRepeatableRead) throw SerializationFailure();
    outcome = WriteOutcome::kNewerVersionCommitted;
  }
  std::string owned(key);
  locked_at_[owned] = newest;
  writes_.emplace(std::move(owned), std::move(value));
  return outcome;
}

std::optional<std::string> MvccTransaction::GetLatestCommitted(std::string_view key) {
  CheckKey(key);
  MDB_txn* latest = engine_->AcquireReader();
  std::optional<std::string> value;
  try {
    std::optional<std::string_view> row = ReadVisible(latest, dbi_, key, kMaxTimestamp);
    if (row) value.emplace(*row);
  } catch (...) {
    engine_->ReleaseReader(latest);
    throw;
  }
  engine_->ReleaseReader(latest);
  return value;
}

void MvccTransaction::RefreshSnapshot() {
  CheckOpen();
  engine_->ReleaseReader(reader_);
  reader_ = nullptr;
  engine_->CloseSnapshot(snapshot_ts_);
  snapshot_ts_ = engine_->OpenSnapshot();
  reader_ = engine_->AcquireReader();
}

void MvccTransaction::Validate() {
  // First-committer-wins, checked again at commit. The write-time lock makes
  // this redundant; it guards against a lock-table bug or a writer that went
  // around it, at the cost of one seek per written key.
  MDB_txn* latest = engine_->AcquireReader();
  bool changed = false;
  try {
    for (const auto& [key, ts] : locked_at_) {
      // Only a newer version is a conflict: DeleteRange (DROP TABLE) and the
      // GC may have removed the versions we saw, which no commit can do.
      if (NewestVersion(latest, dbi_, key) > ts) {
        changed = true;
        break;
      }
    }
  } catch (...) {
    engine_->ReleaseReader(latest);
    throw;
  }
  engine_->ReleaseReader(latest);
  if (changed) throw SerializationFailure();
}

void MvccTransaction::Commit() {
  CheckOpen();
  if (writes_.empty()) {
    Finish();
    return;
  }
  try {
    Validate();
  } catch (...) {
    Finish();
    throw;
  }
  Timestamp commit_ts = engine_->BeginCommit();
  // One version per key, all with the same timestamp, in one LMDB write
  // transaction: the commit lands whole or not at all.
  WriteSet versions;
  for (const auto& [key, value] : writes_) {
    std::string stored_value =
        value ? EncodeVersionValue(VersionTag::kRow, *value) : EncodeVersionValue(VersionTag::kTombstone, {});
    versions.emplace(EncodeVersionKey(key, commit_ts), std::move(stored_value));
  }
  CommitRequest request;
  request.kind = CommitRequest::Kind::kWrites;
  request.dbi = dbi_;
  request.writes = &versions;
  try {
    engine_->Committer().Submit(&request);
  } catch (...) {
    engine_->FinishCommit(commit_ts);
    Finish();
    throw;
  }
  // Publish before unlocking: a waiter that then refreshes its snapshot
  // (READ COMMITTED) must see this commit.
  engine_->FinishCommit(commit_ts);
  commit_ts_ = commit_ts;
  Finish();
}

void MvccTransaction::Rollback() {
  if (open_) Finish();
}

void MvccTransaction::Finish() {
  open_ = false;
  if (reader_ != nullptr) engine_->ReleaseReader(reader_);
  reader_ = nullptr;
  engine_->CloseSnapshot(snapshot_ts_);
  writes_.clear();
  locked_at_.clear();
  engine_->Locks().ReleaseAll(id_);
}

}  // namespace tessera::storage::mvcc
