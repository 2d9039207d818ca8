#include "storage/mvcc/mvcc_transaction.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/error.h"
#include "storage/mvcc/durable_clock.h"
#include "storage/mvcc/mvcc_iterator.h"
#include "storage/mvcc/txn_records.h"
#include "storage/mvcc/version_reader.h"

namespace tessera::storage::mvcc {

namespace {

SqlError SerializationFailure() {
  return SqlError(sqlstate::kSerializationFailure, "could not serialize access due to concurrent update");
}

// An LMDB view of the latest state, for one read.
class ScopedView {
 public:
  explicit ScopedView(MvccEngine* engine) : engine_(engine), txn_(engine->AcquireReader()) {}
  ~ScopedView() { engine_->ReleaseReader(txn_); }
  ScopedView(const ScopedView&) = delete;
  ScopedView& operator=(const ScopedView&) = delete;
  MDB_txn* Txn() const { return txn_; }

 private:
  MvccEngine* engine_;
  MDB_txn* txn_;
};

// A scan over a view of its own (taken after the gate check), released
// with the iterator.
class ViewIterator final : public Iterator {
 public:
  ViewIterator(MvccEngine* engine, MDB_dbi dbi, Timestamp snapshot, const WriteSet& writes, std::string_view start,
               std::string_view end)
      : view_(engine), scan_(view_.Txn(), dbi, snapshot, writes, start, end) {}
  bool Valid() const override { return scan_.Valid(); }
  void Next() override { scan_.Next(); }
  std::string_view Key() const override { return scan_.Key(); }
  std::string_view Value() const override { return scan_.Value(); }

 private:
  ScopedView view_;  // outlives the scan's cursor
  MvccIterator scan_;
};

}  // namespace

MvccTransaction::MvccTransaction(MvccEngine* engine, KeySpace space, const TxnOptions& options, Timestamp snapshot_ts)
    : engine_(engine), space_(space), dbi_(engine->Dbi(space)), options_(options), id_(engine->NextTxnId()) {
  if (!options_.lock_timeout) options_.lock_timeout = engine->DefaultLockTimeout();
  // The watermark (cluster mode: the gate) first, the LMDB snapshot second:
  // the read transaction then holds every commit at or below the snapshot
  // (snapshot_tracker.h, prepare_gate.h). While prepared transactions are
  // pending for the snapshot there is no such view yet: each read passes
  // the gate for its keys and reads from a view taken after that (PassGate).
  gate_ = engine_->OpenSnapshotAt(snapshot_ts);
  snapshot_ts_ = gate_.ts;
  if (gate_.pending) return;
  try {
    reader_ = engine_->AcquireReader();
  } catch (...) {
    engine_->CloseSnapshot(snapshot_ts_);
    throw;
  }
}

MvccTransaction::MvccTransaction(MvccEngine* engine, PreparedRecord record)
    : engine_(engine),
      space_(record.space),
      dbi_(engine->Dbi(record.space)),
      id_(engine->NextTxnId()),
      snapshot_ts_(record.snapshot_ts),
      writes_(std::move(record.writes)),
      locked_at_(std::move(record.locked_at)),
      prepared_(true),
      durable_(true),
      external_id_(std::move(record.external_id)),
      coordinator_(std::move(record.coordinator)) {
  options_.isolation = record.isolation;
  options_.lock_timeout = engine->DefaultLockTimeout();
  // No reader: a prepared transaction reads nothing. Its snapshot still
  // holds the GC horizon below its commit timestamp.
  engine_->RegisterRecoveredSnapshot(snapshot_ts_);
  ticket_ = engine_->JoinPrepared(external_id_, record.floor, &writes_, space_);
  for (const auto& [key, value] : writes_) {
    // Recovery runs before anyone else can lock anything.
    TS_ASSERT(engine_->Locks().TryAcquire(id_, LockKey(key), [] {}) == AcquireResult::kGranted,
              "a recovered prepared transaction gets its locks at once");
  }
}

MvccTransaction::~MvccTransaction() {
  if (!open_) return;
  if (prepared_ && durable_) {
    spdlog::warn("mvcc: prepared transaction \"{}\" released undecided; it stays durable until the next open",
                 external_id_);
  }
  Finish();
}

void MvccTransaction::CheckOpen() const { TS_ASSERT(open_, "transaction used after commit or rollback"); }

void MvccTransaction::CheckActive() const {
  CheckOpen();
  TS_ASSERT(!prepared_, "a prepared transaction only allows CommitAt or Rollback");
}

void MvccTransaction::CheckKey(std::string_view key) const {
  CheckActive();
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
  CheckActive();
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  if (key.empty() || key.size() > engine_->MaxUserKeySize()) return std::nullopt;
  if (gate_.pending) PassGate(key, {}, true);
  std::optional<std::string_view> row;
  if (reader_ != nullptr) {
    row = ReadVisible(reader_, dbi_, key, snapshot_ts_);
    if (!row) return std::nullopt;
    return std::string(*row);
  }
  ScopedView view(engine_);  // taken after the gate check: holds every pending commit of this key
  row = ReadVisible(view.Txn(), dbi_, key, snapshot_ts_);
  if (!row) return std::nullopt;
  return std::string(*row);
}

std::unique_ptr<Iterator> MvccTransaction::Scan(std::string_view start, std::string_view end) {
  CheckActive();
  if (gate_.pending) PassGate(start, end, false);
  if (reader_ != nullptr) return std::make_unique<MvccIterator>(reader_, dbi_, snapshot_ts_, writes_, start, end);
  return std::make_unique<ViewIterator>(engine_, dbi_, snapshot_ts_, writes_, start, end);
}

void MvccTransaction::PassGate(std::string_view start, std::string_view end, bool point) {
  ReadSpan span;
  span.space = space_;
  span.start = start;
  span.end = end;
  span.point = point;
  // Nothing pending any more: one view taken now serves every later read
  // (no iterator uses reader_ before then, so nothing is pulled from under one).
  if (engine_->AwaitReadable(gate_, span, !options_.no_gate_wait)) reader_ = engine_->AcquireReader();
}

WriteOutcome MvccTransaction::Write(std::string_view key, std::optional<std::string> value) {
  CheckKey(key);
  auto it = writes_.find(key);
  if (it != writes_.end()) {  // locked and checked on the first write
    Rewrite(it, std::move(value));
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
    Rewrite(it, std::move(value));
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

void MvccTransaction::PutNew(std::string_view key, std::string_view value) {
  CheckKey(key);
  auto it = writes_.lower_bound(key);
  if (it != writes_.end() && it->first == key) {  // written before in this transaction (a resent request)
    Rewrite(it, std::string(value));
    return;
  }
  // No other transaction can know this key until we commit, so there is no
  // lock to take and no committed version to check (nor to check again at
  // commit: it is not in locked_at_). The key is held twice (writes_, the
  // undo entry), the value three times, as Record counts.
  write_memory_.Grow(static_cast<int64_t>(2 * key.size() + 3 * value.size()) + kNewEntryOverhead);
  std::string owned(key);
  if (keep_undo_) undo_.push_back({owned, false, std::nullopt, false, true});
  writes_.emplace_hint(it, std::move(owned), std::string(value));
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
  writes_[std::string(key)] = lock.latest;  // the undo entry Write made (absent) still holds
  return lock;
}

Transaction::SelectLock MvccTransaction::LockRowForSelect(std::string_view key, bool no_wait) {
  SelectLock lock;
  CheckKey(key);
  std::string owned(key);
  if (writes_.count(owned) != 0 || lock_only_.count(owned) != 0) return lock;  // ours already
  if (no_wait) {
    if (!engine_->Locks().TryLock(id_, LockKey(key))) {
      lock.obtained = false;
      return lock;
    }
  } else {
    engine_->Locks().Acquire(id_, LockKey(key), *options_.lock_timeout);
  }
  // The key twice in this transaction and twice in the lock table.
  Timestamp newest = CheckLocked(key, static_cast<int64_t>(4 * key.size()) + kWriteEntryOverhead);
  if (newest > snapshot_ts_) {  // READ COMMITTED: the caller re-checks the newest version
    lock.changed = true;
    lock.latest = GetLatestCommitted(key);
  }
  locked_at_[owned] = newest;
  if (keep_undo_) undo_.push_back({owned, false, std::nullopt, false});
  lock_only_.insert(std::move(owned));
  return lock;
}

void MvccTransaction::ReleaseSelectLocks(const std::vector<std::string>& keys) {
  CheckActive();
  std::vector<std::string> unlocked;
  for (const std::string& key : keys) {
    if (lock_only_.erase(key) == 0) continue;
    locked_at_.erase(key);
    unlocked.push_back(LockKey(key));
  }
  // An undo entry for such a key may remain; undoing it releases nothing.
  if (!unlocked.empty()) engine_->Locks().Release(id_, unlocked);
}

std::vector<Transaction::LockedKey> MvccTransaction::LockedByOthers(std::string_view prefix) {
  std::string lock_prefix = LockKey(prefix);
  std::vector<LockedKey> out;
  for (auto& [key, holder] : engine_->Locks().HeldWithPrefix(lock_prefix))
    if (holder != id_) out.push_back({key.substr(lock_prefix.size() - prefix.size()), holder});
  return out;
}

bool MvccTransaction::LockedByOther(std::string_view key) {
  std::optional<TxnId> holder = engine_->Locks().Holder(LockKey(key));
  return holder && *holder != id_;
}

bool MvccTransaction::WaitsForMe(uint64_t other) {
  for (const auto& edge : engine_->Locks().WaitEdges())
    if (edge.waiter == other && edge.holder == id_) return true;
  return false;
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

Timestamp MvccTransaction::CheckLocked(std::string_view key, int64_t charge) {
  try {
    Timestamp newest = NewestCommitted(key);
    // Someone committed this key after our snapshot (maybe the writer we
    // waited for). Snapshot isolation forbids writing over (or locking) a
    // change we cannot see: first committer wins.
    if (newest > snapshot_ts_ && options_.isolation == IsolationLevel::kRepeatableRead) throw SerializationFailure();
    // An undo entry holds the key once more.
    int64_t undo = keep_undo_ ? static_cast<int64_t>(key.size() + sizeof(UndoEntry)) : 0;
    write_memory_.Grow(charge + undo);
    return newest;
  } catch (...) {
    engine_->Locks().Release(id_, {LockKey(key)});
    throw;
  }
}

WriteOutcome MvccTransaction::Record(std::string_view key, std::optional<std::string> value) {
  // The key is held four times (writes_, locked_at_, and the lock table's
  // entry and per-transaction list), with their nodes (kWriteEntryOverhead);
  // the value three times by the end: here, in the commit's versioned copy
  // (Versions) and in LMDB's dirty pages of the commit.
  std::string owned(key);
  bool was_locked = lock_only_.count(owned) != 0;
  Timestamp newest = was_locked ? locked_at_.at(owned)
                                : CheckLocked(key, static_cast<int64_t>(4 * key.size() +
                                                                        3 * (value ? value->size() : 0)) +
                                                       kWriteEntryOverhead);
  // READ COMMITTED over a newer commit: the caller re-reads (EvalPlanQual).
  WriteOutcome outcome = newest > snapshot_ts_ ? WriteOutcome::kNewerVersionCommitted : WriteOutcome::kDone;
  if (was_locked) {
    // Locked by FOR UPDATE, in this statement or an earlier one: only a
    // READ COMMITTED lock of a newer version can be newer than the snapshot,
    // and the caller's row came from that lock.
    outcome = WriteOutcome::kDone;
    lock_only_.erase(owned);
    write_memory_.Grow(static_cast<int64_t>(3 * (value ? value->size() : 0)));
  }
  locked_at_[owned] = newest;
  if (keep_undo_) undo_.push_back({owned, false, std::nullopt, was_locked});
  writes_.emplace(std::move(owned), std::move(value));
  return outcome;
}

void MvccTransaction::Rewrite(WriteSet::iterator it, std::optional<std::string> value) {
  ChargeRewrite(it->second, value);
  if (keep_undo_) {
    size_t before = it->second ? it->second->size() : 0;
    write_memory_.Grow(static_cast<int64_t>(it->first.size() + before + sizeof(UndoEntry)));
    undo_.push_back({it->first, true, std::move(it->second)});
  }
  it->second = std::move(value);
}

void MvccTransaction::DropUndo() {
  keep_undo_ = false;
  UndoLog().swap(undo_);
}

void MvccTransaction::RollbackToMark(size_t mark) {
  CheckActive();
  TS_ASSERT(mark <= undo_.size(), "a savepoint's mark lies within the undo log");
  std::vector<std::string> unlocked;
  while (undo_.size() > mark) {
    UndoEntry& entry = undo_.back();
    if (entry.was_written) {
      writes_[entry.key] = std::move(entry.before);
    } else if (entry.was_locked) {
      writes_.erase(entry.key);
      lock_only_.insert(entry.key);
    } else if (entry.unlocked_new) {
      writes_.erase(entry.key);
    } else {
      writes_.erase(entry.key);
      lock_only_.erase(entry.key);
      locked_at_.erase(entry.key);
      unlocked.push_back(LockKey(entry.key));
    }
    undo_.pop_back();
  }
  // After the write set is restored: a waiter granted one of these keys
  // may run at once, and must find us no longer writing it.
  if (!unlocked.empty()) engine_->Locks().Release(id_, unlocked);
}

void MvccTransaction::ChargeRewrite(const std::optional<std::string>& old_value,
                                    const std::optional<std::string>& new_value) {
  size_t before = old_value ? old_value->size() : 0;
  size_t after = new_value ? new_value->size() : 0;
  if (after > before) write_memory_.Grow(3 * static_cast<int64_t>(after - before));
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

void MvccTransaction::RefreshSnapshotAt(Timestamp ts) {
  CheckActive();
  // The new snapshot first (it may throw): on failure the transaction keeps
  // its old one and stays usable.
  SnapshotRequest fresh = engine_->OpenSnapshotAt(ts);
  if (reader_ != nullptr) engine_->ReleaseReader(reader_);
  reader_ = nullptr;
  engine_->CloseSnapshot(snapshot_ts_);
  gate_ = fresh;
  snapshot_ts_ = fresh.ts;
  if (!gate_.pending) reader_ = engine_->AcquireReader();
}

bool MvccTransaction::KeysChanged() {
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
  return changed;
}

void MvccTransaction::Validate() {
  // First-committer-wins, checked again at commit. The write-time lock makes
  // this redundant; it guards against a lock-table bug or a writer that went
  // around it, at the cost of one seek per written key.
  if (KeysChanged()) throw SerializationFailure();
}

WriteSet MvccTransaction::Versions(Timestamp commit_ts) const {
  WriteSet versions;
  for (const auto& [key, value] : writes_) {
    std::string stored_value =
        value ? EncodeVersionValue(VersionTag::kRow, *value) : EncodeVersionValue(VersionTag::kTombstone, {});
    // Almost always in order already (keys of one length keep their order
    // with the timestamp appended): the hint makes each insert O(1).
    versions.emplace_hint(versions.end(), EncodeVersionKey(key, commit_ts), std::move(stored_value));
  }
  return versions;
}

void MvccTransaction::Commit() {
  CheckActive();
  if (writes_.empty()) {
    Finish();
    return;
  }
  // No timestamp to commit at: the TSO's comes through CommitAt.
  TS_ASSERT(!engine_->External(), "in cluster mode a writing transaction commits with Prepare and CommitAt");
  try {
    Validate();
  } catch (...) {
    Finish();
    throw;
  }
  Timestamp commit_ts = engine_->BeginCommit();
  // One version per key, all with the same timestamp, in one LMDB write
  // transaction: the commit lands whole or not at all.
  WriteSet versions = Versions(commit_ts);
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

void MvccTransaction::Prepare(std::string_view external_id, std::string_view coordinator, bool durable) {
  CheckActive();
  try {
    TS_ASSERT(engine_->External(), "Prepare needs cluster mode (MvccOptions::external_timestamps)");
    if (durable) engine_->Records().CheckId(external_id);  // the prepare record's key
    Validate();
    // The gate before the durable write: readers requested from here on
    // wait for us, and the floor written below is the one CommitAt checks.
    // The gate checks readers' keys against writes_, unchanged from here on.
    ticket_ = engine_->JoinPrepared(external_id, kNoTimestamp, &writes_, space_);
    prepared_ = true;
    durable_ = durable;
    external_id_ = std::string(external_id);
    coordinator_ = std::string(coordinator);
    // No reads after Prepare; an LMDB reader held by an undecided
    // transaction would pin old pages for as long as it waits.
    if (reader_ != nullptr) engine_->ReleaseReader(reader_);
    reader_ = nullptr;
    if (durable_) WritePrepareRecord();
  } catch (...) {
    Finish();  // nothing durable landed: a plain rollback
    throw;
  }
}

void MvccTransaction::WritePrepareRecord() {
  PreparedRecord record;
  record.coordinator = coordinator_;
  record.space = space_;
  record.isolation = options_.isolation;
  record.snapshot_ts = snapshot_ts_;
  record.floor = engine_->PrepareFloor(ticket_);
  record.writes = writes_;
  // Only written keys get their locks back at recovery, so only theirs are
  // checked then: a FOR UPDATE lock is not durable (PostgreSQL's are not
  // either once the locker is gone).
  for (const auto& [key, ts] : locked_at_)
    if (lock_only_.count(key) == 0) record.locked_at.emplace(key, ts);
  WriteSet entry;
  entry.emplace(external_id_, EncodePreparedRecord(record));
  CommitRequest request;
  request.kind = CommitRequest::Kind::kWrites;
  request.dbi = engine_->PreparedDbi();
  request.writes = &entry;
  engine_->Committer().Submit(&request);
}

void MvccTransaction::CommitAt(Timestamp commit_ts, std::optional<std::string_view> record) {
  CheckOpen();
  TS_ASSERT(prepared_, "CommitAt needs a prepared transaction");
  // Our versions must sort above every version we wrote over (else they
  // would hide behind it) and above our snapshot; the gate adds the floor.
  Timestamp lower_bound = snapshot_ts_;
  for (const auto& [key, ts] : locked_at_) lower_bound = std::max(lower_bound, ts);
  TxnRecords::Latch latch;
  if (record) {
    // The decision is check-then-write: a cleaner's "aborted" stored first
    // must make this commit fail, never be overwritten.
    latch = engine_->Records().Lock(external_id_);
    std::optional<std::string> existing = engine_->Records().Get(external_id_);
    if (existing && *existing != *record) {
      throw SqlError(sqlstate::kSerializationFailure,
                     "could not serialize access: transaction \"" + external_id_ + "\" was already decided otherwise");
    }
  }
  // Held locks make this impossible; if it happened anyway, committing
  // would overwrite a change we never saw, and a 40001 would invite a retry
  // of a transaction that may already be decided: an internal error.
  if (KeysChanged()) {
    throw SqlError::Internal("keys of prepared transaction \"" + external_id_ + "\" changed while it was prepared");
  }
  // Why the floor, and why a violation is XX000 rather than 40001:
  // prepare_gate.h ("Commit-ts check").
  engine_->BeginCommitAt(ticket_, commit_ts, lower_bound);
  bool landed = false;
  try {
    landed = SubmitCommitAt(commit_ts, record);
  } catch (...) {
    engine_->AbortCommitAt(ticket_);  // still prepared: the caller retries or rolls back
    throw;
  }
  // Visible (the gate lets readers at or above commit_ts through) before
  // the locks go: a waiter that then refreshes its snapshot must see it.
  engine_->FinishCommitAt(ticket_, landed);
  prepared_ = false;
  commit_ts_ = commit_ts;
  Finish();
}

bool MvccTransaction::SubmitCommitAt(Timestamp commit_ts, std::optional<std::string_view> record) {
  WriteSet versions = Versions(commit_ts);
  if (versions.empty() && !durable_ && !record) return false;  // a read-only single-node commit
  CommitRequest request;
  request.kind = CommitRequest::Kind::kWrites;
  request.dbi = dbi_;
  request.writes = &versions;
  WriteSet prepare_record;
  if (durable_) {
    prepare_record.emplace(external_id_, std::nullopt);
    request.more_writes.emplace_back(engine_->PreparedDbi(), &prepare_record);
  }
  WriteSet txn_record;
  if (record) {
    txn_record.emplace(external_id_, std::string(*record));
    request.more_writes.emplace_back(engine_->Records().Dbi(), &txn_record);
  }
  WriteSet mark;
  mark.emplace(EncodeTimestamp(commit_ts), std::string());
  request.more_writes.emplace_back(engine_->CommitMarksDbi(), &mark);
  engine_->Committer().Submit(&request);
  return true;
}

void MvccTransaction::Rollback() {
  if (!open_) return;
  if (prepared_ && durable_) {
    // Throws before anything is released: undecided, the transaction must
    // keep its locks and its place in the gate.
    WriteSet entry;
    entry.emplace(external_id_, std::nullopt);
    CommitRequest request;
    request.kind = CommitRequest::Kind::kWrites;
    request.dbi = engine_->PreparedDbi();
    request.writes = &entry;
    engine_->Committer().Submit(&request);
  }
  Finish();
}

void MvccTransaction::Finish() {
  open_ = false;
  if (reader_ != nullptr) engine_->ReleaseReader(reader_);
  reader_ = nullptr;
  engine_->CloseSnapshot(snapshot_ts_);
  if (prepared_) engine_->LeavePrepared(ticket_);
  prepared_ = false;
  writes_.clear();
  locked_at_.clear();
  lock_only_.clear();
  keep_undo_ = false;
  UndoLog().swap(undo_);
  engine_->Locks().ReleaseAll(id_);
  bool trim = WorthTrimming(write_memory_.Peak());
  write_memory_.ReleaseAll();
  if (trim) TrimFreedMemory();  // a big COPY's write set goes back to the kernel
}

}  // namespace tessera::storage::mvcc
