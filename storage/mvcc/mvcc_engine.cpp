#include "storage/mvcc/mvcc_engine.h"

#include <filesystem>

#include "common/error.h"
#include "storage/lmdb_util.h"
#include "storage/mvcc/gc.h"
#include "storage/mvcc/mvcc_transaction.h"
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

}  // namespace

std::unique_ptr<MvccEngine> MvccEngine::Open(const std::string& dir, const MvccOptions& options) {
  return std::make_unique<MvccEngine>(dir, options);
}

MvccEngine::MvccEngine(const std::string& dir, const MvccOptions& options) : lock_timeout_(options.lock_timeout) {
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
    OpenDatabases();
  } catch (...) {
    mdb_env_close(env_);
    throw;
  }
  max_user_key_size_ = static_cast<size_t>(mdb_env_get_maxkeysize(env_)) - kTimestampSize;
  committer_ = std::make_unique<GroupCommitter>(env_);
  oracle_ = std::make_unique<TimestampOracle>(
      [this](uint64_t count) { return static_cast<Timestamp>(Allocate(kOracleKey, static_cast<int64_t>(count))); },
      options.timestamp_window);
  tracker_ = std::make_unique<SnapshotTracker>(oracle_.get());
  gc_ = std::make_unique<GarbageCollector>(this);
  if (options.gc_interval.count() > 0) gc_->Start(options.gc_interval);
}

void MvccEngine::OpenDatabases() {
  MDB_txn* txn = nullptr;
  CheckLmdb(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
  int rc = mdb_dbi_open(txn, "mvcc_data", MDB_CREATE, &data_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, "mvcc_meta", MDB_CREATE, &meta_dbi_);
  if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &plain_meta_dbi_);
  // The comparator must be in place before any read or write of these
  // databases, in every process that opens them (version_key.h).
  if (rc == MDB_SUCCESS) rc = mdb_set_compare(txn, data_dbi_, CompareVersionKeys);
  if (rc == MDB_SUCCESS) rc = mdb_set_compare(txn, meta_dbi_, CompareVersionKeys);
  if (rc != MDB_SUCCESS) {
    mdb_txn_abort(txn);
    ThrowLmdb(rc, "mdb_dbi_open");
  }
  CheckLmdb(mdb_txn_commit(txn), "mdb_txn_commit");
}

MvccEngine::~MvccEngine() {
  gc_.reset();         // stops the GC thread before the committer goes
  committer_.reset();  // drains pending commits
  readers_.Clear();
  mdb_env_close(env_);
}

std::unique_ptr<Transaction> MvccEngine::Begin() { return Begin(TxnOptions{}, KeySpace::kData); }

std::unique_ptr<Transaction> MvccEngine::BeginMeta() { return Begin(TxnOptions{}, KeySpace::kMeta); }

std::unique_ptr<MvccTransaction> MvccEngine::Begin(const TxnOptions& options, KeySpace space) {
  return std::make_unique<MvccTransaction>(this, space, options);
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
  return tracker_->Watermark();
}

uint64_t MvccEngine::OracleReservations() {
  std::lock_guard lock(ts_mutex_);
  return oracle_->Reservations();
}

Timestamp MvccEngine::OpenSnapshot() {
  std::lock_guard lock(ts_mutex_);
  return tracker_->OpenSnapshot();
}

void MvccEngine::CloseSnapshot(Timestamp ts) {
  std::lock_guard lock(ts_mutex_);
  tracker_->CloseSnapshot(ts);
}

Timestamp MvccEngine::BeginCommit() {
  // May block on one durable write per oracle window (every 10,000 commits
  // by default) while holding the mutex; cheap on average.
  std::lock_guard lock(ts_mutex_);
  return tracker_->BeginCommit();
}

void MvccEngine::FinishCommit(Timestamp ts) {
  std::lock_guard lock(ts_mutex_);
  tracker_->FinishCommit(ts);
}

Timestamp MvccEngine::GcHorizon() {
  std::lock_guard lock(ts_mutex_);
  return tracker_->GcHorizon();
}

}  // namespace tessera::storage::mvcc
