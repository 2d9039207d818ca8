#include "storage/mvcc/mvcc_engine.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "storage/lmdb_util.h"
#include "storage/mvcc/durable_clock.h"
#include "storage/mvcc/gc.h"
#include "storage/mvcc/mvcc_transaction.h"
#include "storage/mvcc/prepared_store.h"
#include "storage/mvcc/txn_records.h"
#include "storage/mvcc/version_reader.h"

namespace tessera::storage::mvcc {

namespace {

constexpr unsigned kMaxReaders = 1024;
// Same prefix as LmdbEngine, so counters mean the same thing in both engines.
constexpr std::string_view kCounterPrefix = "counter/";
// Outside the counter prefix: no counter name can collide with it.
constexpr std::string_view kOracleKey = "mvcc/timestamp_window";
// Keys per LMDB write transaction when DeleteRange removes versions.
constexpr size_t kDeleteChunk = 10000;
// Commit marks deleted per LMDB write transaction by TrimCommitMarks.
constexpr size_t kTrimChunk = 10000;

void RequireExternal(bool external, const char* what) {
  TS_ASSERT(external, std::string(what) + " needs cluster mode (MvccOptions::external_timestamps)");
}

}  // namespace

std::unique_ptr<MvccEngine> MvccEngine::Open(const std::string& dir, const MvccOptions& options) {
  return std::make_unique<MvccEngine>(dir, options);
}

MvccEngine::MvccEngine(const std::string& dir, const MvccOptions& options)
    : lock_timeout_(options.lock_timeout), external_(options.external_timestamps), prepare_wait_(options.prepare_wait),
      landing_wait_(options.landing_wait) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw SqlError(sqlstate::kInternalError, "could not create directory \"" + dir + "\": " + ec.message());
  CheckLmdb(mdb_env_create(&env_), "mdb_env_create");
  try {
    CheckLmdb(mdb_env_set_maxdbs(env_, 8), "mdb_env_set_maxdbs");
    CheckLmdb(mdb_env_set_mapsize(env_, options.engine.map_size), "mdb_env_set_mapsize");
    CheckLmdb(mdb_env_set_maxreaders(env_, kMaxReaders), "mdb_env_set_maxreaders");
    // MDB_NOTLS: a transaction's read snapshot may move between threads.
    unsigned flags = MDB_NOTLS | (options.engine.sync ? 0 : MDB_NOSYNC);
    CheckLmdb(mdb_env_open(env_, dir.c_str(), flags, 0644), "mdb_env_open");
    OpenDatabases(options.replication_log);
  } catch (...) {
    mdb_env_close(env_);
    throw;
  }
  max_user_key_size_ = static_cast<size_t>(mdb_env_get_maxkeysize(env_)) - kTimestampSize;
  committer_ = std::make_unique<GroupCommitter>(env_);
  // Before any write of our own (OpenClusterState trims commit marks): a
  // backup must see every change the primary makes.
  if (log_) committer_->AttachLog(log_.get());
  records_ = std::make_unique<TxnRecords>(this, records_dbi_);
  if (external_) {
    OpenClusterState(options.follower);
  } else {
    oracle_ = std::make_unique<TimestampOracle>(
        [this](uint64_t count) { return static_cast<Timestamp>(Allocate(kOracleKey, static_cast<int64_t>(count))); },
        options.timestamp_window);
    tracker_ = std::make_unique<SnapshotTracker>(oracle_.get());
  }
  gc_ = std::make_unique<GarbageCollector>(this);
  // After recovery: the horizon must already hold the recovered snapshots.
  if (options.gc_interval.count() > 0) gc_->Start(options.gc_interval);
}

void MvccEngine::OpenClusterState(bool follower) {
  MDB_txn* reader = AcquireReader();
  Timestamp max_committed = kNoTimestamp;
  std::vector<PreparedRecord> prepared;
  try {
    max_committed = NewestCommitMark(reader, commit_marks_dbi_);
    persisted_gc_floor_ = ReadGcFloor(reader, plain_meta_dbi_);
    prepared = LoadPreparedRecords(reader, prepared_dbi_);
  } catch (...) {
    ReleaseReader(reader);
    throw;
  }
  ReleaseReader(reader);
  gate_ = std::make_unique<PrepareGate>(max_committed, persisted_gc_floor_);
  // Back in the gate and locked before anyone can begin: a reader must wait
  // for them, a writer must not take their keys.
  for (PreparedRecord& record : prepared) {
    recovered_.push_back(std::make_unique<MvccTransaction>(this, std::move(record)));
  }
  if (!recovered_.empty()) spdlog::info("mvcc: recovered {} prepared transactions", recovered_.size());
  if (!follower) TrimCommitMarks();
}

void MvccEngine::OpenDatabases(bool replication_log) {
  MDB_txn* txn = nullptr;
  CheckLmdb(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
  int rc = mdb_dbi_open(txn, "mvcc_data", MDB_CREATE, &data_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, "mvcc_meta", MDB_CREATE, &meta_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &plain_meta_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, std::string(kPreparedDb).c_str(), MDB_CREATE, &prepared_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, std::string(kTxnRecordsDb).c_str(), MDB_CREATE, &records_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, std::string(kCommitMarksDb).c_str(), MDB_CREATE, &commit_marks_dbi_);
  // The comparator must be in place before any read or write of these
  // databases, in every process that opens them (version_key.h).
  if (rc == MDB_SUCCESS) rc = mdb_set_compare(txn, data_dbi_, CompareVersionKeys);
  if (rc == MDB_SUCCESS) rc = mdb_set_compare(txn, meta_dbi_, CompareVersionKeys);
  if (rc != MDB_SUCCESS) {
    mdb_txn_abort(txn);
    ThrowLmdb(rc, "mdb_dbi_open");
  }
  if (replication_log) {
    try {
      log_ = std::make_unique<ReplicationLog>(env_, txn);
    } catch (...) {
      mdb_txn_abort(txn);
      throw;
    }
    log_->RegisterDatabase(data_dbi_, "mvcc_data");
    log_->RegisterDatabase(meta_dbi_, "mvcc_meta");
    log_->RegisterDatabase(plain_meta_dbi_, "meta");
    log_->RegisterDatabase(prepared_dbi_, std::string(kPreparedDb));
    log_->RegisterDatabase(records_dbi_, std::string(kTxnRecordsDb));
    log_->RegisterDatabase(commit_marks_dbi_, std::string(kCommitMarksDb));
    try {
      log_->NoteHistoryBeforeLog(txn);
    } catch (...) {
      mdb_txn_abort(txn);
      throw;
    }
  }
  CheckLmdb(mdb_txn_commit(txn), "mdb_txn_commit");
}

uint64_t MvccEngine::ApplyReplicated(const std::vector<PositionedRecord>& records) {
  TS_ASSERT(log_ != nullptr, "applying replication records needs MvccOptions::replication_log");
  if (records.empty()) return log_->LastPosition();
  CommitRequest request;
  request.kind = CommitRequest::Kind::kApplyLog;
  request.records = &records;
  committer_->Submit(&request);
  return request.position;
}

void MvccEngine::TrimReplicationLog(uint64_t position) {
  // A bounded number of records per write transaction, until done or stuck.
  while (log_ && position > log_->FirstPosition()) {
    uint64_t before = log_->FirstPosition();
    CommitRequest request;
    request.kind = CommitRequest::Kind::kTrimLog;
    request.trim_below = position;
    committer_->Submit(&request);
    if (log_->FirstPosition() == before) return;
  }
}

MvccEngine::~MvccEngine() {
  recovered_.clear();  // unclaimed: released in memory, still durable
  gc_.reset();         // stops the GC thread before the committer goes
  committer_.reset();  // drains pending commits
  log_.reset();
  readers_.Clear();
  mdb_env_close(env_);
}

std::unique_ptr<Transaction> MvccEngine::Begin() { return Begin(TxnOptions{}, KeySpace::kData); }

std::unique_ptr<Transaction> MvccEngine::BeginMeta() { return Begin(TxnOptions{}, KeySpace::kMeta); }

std::unique_ptr<MvccTransaction> MvccEngine::Begin(const TxnOptions& options, KeySpace space) {
  return std::make_unique<MvccTransaction>(this, space, options);
}

std::unique_ptr<MvccTransaction> MvccEngine::BeginAt(const TxnOptions& options, Timestamp snapshot_ts, KeySpace space) {
  RequireExternal(external_, "BeginAt");
  return std::make_unique<MvccTransaction>(this, space, options, snapshot_ts);
}

Timestamp MvccEngine::MaxCommitted() {
  std::lock_guard lock(ts_mutex_);
  return external_ ? gate_->MaxCommitted() : tracker_->Watermark();
}

std::vector<std::unique_ptr<MvccTransaction>> MvccEngine::RecoverPrepared() {
  RequireExternal(external_, "RecoverPrepared");
  return std::move(recovered_);
}

std::optional<std::string> MvccEngine::GetTxnRecord(std::string_view txn_id) { return records_->Get(txn_id); }

std::string MvccEngine::PutTxnRecordIfAbsent(std::string_view txn_id, std::string_view record) {
  return records_->PutIfAbsent(txn_id, record);
}

void MvccEngine::DeleteTxnRecord(std::string_view txn_id) { records_->Delete(txn_id); }

void MvccEngine::SetGcSafePoint(Timestamp ts) {
  RequireExternal(external_, "SetGcSafePoint");
  std::lock_guard lock(ts_mutex_);
  gate_->SetSafePoint(ts);
}

size_t MvccEngine::PreparedCount() {
  std::lock_guard lock(ts_mutex_);
  return external_ ? gate_->Prepared() : 0;
}

void MvccEngine::DeleteRange(std::string_view start, std::string_view end) {
  // Removes every version of every key in the range, physically and without
  // MVCC (as LmdbEngine does for DROP TABLE and TRUNCATE: the catalog has
  // already made the range unreachable). Done in chunks so a big table does
  // not need one huge write set; a crash midway leaves only unreachable
  // versions, which the next DeleteRange or the GC removes.
  for (;;) {
    WriteSet doomed;
    MDB_txn* reader = AcquireReader();
    try {
      MDB_cursor* cursor = nullptr;
      CheckLmdb(mdb_cursor_open(reader, data_dbi_, &cursor), "mdb_cursor_open");
      std::string first = EncodeVersionKey(start, kMaxTimestamp);  // sorts before every version of `start`
      MDB_val k = ToVal(first), v;
      int rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
      while (rc == MDB_SUCCESS && doomed.size() < kDeleteChunk) {
        std::string_view user;
        Timestamp ts = kNoTimestamp;
        if (!DecodeVersionKey(FromVal(k), &user, &ts) || (!end.empty() && user >= end)) break;
        doomed.emplace(std::string(FromVal(k)), std::nullopt);
        rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
      }
      mdb_cursor_close(cursor);
      if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_cursor_get");
    } catch (...) {
      ReleaseReader(reader);
      throw;
    }
    ReleaseReader(reader);
    if (doomed.empty()) return;
    CommitRequest request;
    request.kind = CommitRequest::Kind::kWrites;
    request.dbi = data_dbi_;
    request.writes = &doomed;
    committer_->Submit(&request);
  }
}

int64_t MvccEngine::AllocateRange(std::string_view name, int64_t count) {
  TS_ASSERT(count > 0, "allocating a positive number of values");
  std::string key(kCounterPrefix);
  key.append(name);
  return Allocate(key, count);
}

int64_t MvccEngine::Allocate(std::string_view key, int64_t count) {
  CommitRequest request;
  request.kind = CommitRequest::Kind::kAllocate;
  request.dbi = plain_meta_dbi_;
  request.start = key;
  request.count = count;
  committer_->Submit(&request);
  return request.result;
}

Timestamp MvccEngine::Watermark() {
  std::lock_guard lock(ts_mutex_);
  return external_ ? gate_->Latest() : tracker_->Watermark();
}

uint64_t MvccEngine::OracleReservations() {
  std::lock_guard lock(ts_mutex_);
  return oracle_ ? oracle_->Reservations() : 0;
}

SnapshotRequest MvccEngine::OpenSnapshotAt(Timestamp ts) {
  std::lock_guard lock(ts_mutex_);
  if (!external_) {
    TS_ASSERT(ts == kNoTimestamp, "embedded snapshots are taken at the watermark");
    SnapshotRequest request;
    request.ts = tracker_->OpenSnapshot();
    return request;
  }
  if (gate_->TooOld(ts)) {
    throw SqlError(sqlstate::kSerializationFailure,
                   "could not serialize access: snapshot " + std::to_string(ts) +
                       " is older than the garbage collection horizon " + std::to_string(gate_->GcFloor()));
  }
  return gate_->RequestSnapshot(ts);
}

bool MvccEngine::AwaitReadable(SnapshotRequest& request, const ReadSpan& span, bool wait) {
  RequireExternal(external_, "AwaitReadable");
  std::unique_lock lock(ts_mutex_);
  auto ready = [&] { return gate_->ReadyFor(request, span); };
  if (!ready()) {
    if (!wait) throw SqlError(kGateBusy, "the read would wait for a prepared transaction");
    bool ok = true;
    if (prepare_wait_.count() <= 0) {
      gate_waiters_.Wait(lock, ready);
    } else {
      auto start = std::chrono::steady_clock::now();
      ok = gate_waiters_.Wait(lock, ready, prepare_wait_);
      // Past prepare_wait, a wait only on commits that are landing goes on.
      while (!ok && gate_->OnlyLandingsPending(request, span) &&
             std::chrono::steady_clock::now() - start < landing_wait_)
        ok = gate_waiters_.Wait(lock, ready, prepare_wait_);
    }
    if (!ok) {
      throw SqlError(sqlstate::kSerializationFailure,
                     "could not serialize access: timed out waiting for a prepared transaction");
    }
  }
  request.pending = !gate_->Ready(request);
  return !request.pending;
}

void MvccEngine::WakeGateWaiters() {
  std::vector<std::shared_ptr<WaitSlot>> waiters;
  {
    std::lock_guard lock(ts_mutex_);
    waiters = gate_waiters_.Take();
  }
  WaitList::WakeAll(waiters);
}

void MvccEngine::CloseSnapshot(Timestamp ts) {
  std::lock_guard lock(ts_mutex_);
  if (external_) gate_->CloseSnapshot(ts);
  else tracker_->CloseSnapshot(ts);
}

Timestamp MvccEngine::BeginCommit() {
  // May block on one durable write per oracle window (every 10,000 commits
  // by default) while holding the mutex; cheap on average.
  std::lock_guard lock(ts_mutex_);
  TS_ASSERT(!external_, "in cluster mode a writing transaction commits with Prepare and CommitAt");
  return tracker_->BeginCommit();
}

void MvccEngine::FinishCommit(Timestamp ts) {
  std::lock_guard lock(ts_mutex_);
  tracker_->FinishCommit(ts);
}

PrepareTicket MvccEngine::JoinPrepared(std::string_view external_id, Timestamp floor, const WriteSet* writes,
                                       KeySpace space) {
  RequireExternal(external_, "Prepare");
  std::lock_guard lock(ts_mutex_);
  std::optional<PrepareTicket> ticket = gate_->Prepare(external_id, floor, writes, space);
  if (!ticket) {
    throw SqlError::Internal("transaction \"" + std::string(external_id) + "\" is already prepared on this node");
  }
  return *ticket;
}

Timestamp MvccEngine::PrepareFloor(PrepareTicket ticket) {
  std::lock_guard lock(ts_mutex_);
  return gate_->Floor(ticket);
}

void MvccEngine::BeginCommitAt(PrepareTicket ticket, Timestamp commit_ts, Timestamp lower_bound) {
  {
    std::lock_guard lock(ts_mutex_);
    Timestamp floor = std::max(gate_->Floor(ticket), lower_bound);
    if (commit_ts <= floor) {
      // Only a TSO or gateway bug gets here (prepare_gate.h): committing
      // would put versions under a snapshot that has already read without
      // them. Refused; the transaction stays prepared.
      throw SqlError::Internal("commit timestamp " + std::to_string(commit_ts) +
                               " is not above the prepared transaction's floor " + std::to_string(floor) +
                               " (a snapshot or version this node has already served)");
    }
    gate_->BeginCommit(ticket, commit_ts);
  }
  WakeGateWaiters();  // readers below commit_ts need not wait for us any more
}

void MvccEngine::AbortCommitAt(PrepareTicket ticket) {
  std::lock_guard lock(ts_mutex_);
  gate_->AbortCommit(ticket);
}

void MvccEngine::FinishCommitAt(PrepareTicket ticket, bool landed) {
  {
    std::lock_guard lock(ts_mutex_);
    gate_->FinishCommit(ticket, landed);
  }
  WakeGateWaiters();
}

void MvccEngine::LeavePrepared(PrepareTicket ticket) {
  {
    std::lock_guard lock(ts_mutex_);
    gate_->Leave(ticket);
  }
  WakeGateWaiters();
}

void MvccEngine::RegisterRecoveredSnapshot(Timestamp ts) {
  std::lock_guard lock(ts_mutex_);
  gate_->RegisterSnapshot(ts);
}

Timestamp MvccEngine::GcHorizon() {
  if (!external_) {
    std::lock_guard lock(ts_mutex_);
    return tracker_->GcHorizon();
  }
  Timestamp horizon = kNoTimestamp;
  Timestamp floor = kNoTimestamp;
  {
    std::lock_guard lock(ts_mutex_);
    horizon = gate_->TakeGcHorizon();
    floor = gate_->GcFloor();
  }
  // Durable before the GC deletes anything under it: after a restart, a
  // snapshot below it must still be refused.
  PersistGcFloor(floor);
  return horizon;
}

void MvccEngine::PersistGcFloor(Timestamp floor) {
  std::lock_guard lock(gc_floor_mutex_);
  if (floor <= persisted_gc_floor_) return;
  WriteSet writes;
  writes.emplace(std::string(kGcFloorKey), EncodeTimestamp(floor));
  CommitRequest request;
  request.kind = CommitRequest::Kind::kWrites;
  request.dbi = plain_meta_dbi_;
  request.writes = &writes;
  committer_->Submit(&request);
  persisted_gc_floor_ = floor;
}

void MvccEngine::TrimCommitMarks() {
  if (!external_) return;
  for (;;) {
    MDB_txn* reader = AcquireReader();
    WriteSet stale;
    try {
      stale = StaleCommitMarks(reader, commit_marks_dbi_, kTrimChunk);
    } catch (...) {
      ReleaseReader(reader);
      throw;
    }
    ReleaseReader(reader);
    if (stale.empty()) return;
    CommitRequest request;
    request.kind = CommitRequest::Kind::kWrites;
    request.dbi = commit_marks_dbi_;
    request.writes = &stale;
    committer_->Submit(&request);
    if (stale.size() < kTrimChunk) return;
  }
}

}  // namespace tessera::storage::mvcc
