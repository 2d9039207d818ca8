#include "storage/mvcc/gc.h"

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "storage/group_committer.h"
#include "storage/lmdb_util.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::storage::mvcc {

namespace {

// Deletions per LMDB write transaction (rounded up to a whole key).
constexpr size_t kChunk = 1000;

}  // namespace

bool ShouldDropVersion(Timestamp ts, bool tombstone, Timestamp horizon, bool* found_floor) {
  if (*found_floor) return true;  // shadowed by the floor version: invisible to all
  if (ts > horizon) return false;
  // The newest version at or below the horizon: what the oldest snapshots see.
  *found_floor = true;
  return tombstone;
}

GarbageCollector::~GarbageCollector() { Stop(); }

void GarbageCollector::Start(std::chrono::milliseconds interval) {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this, interval] { Run(interval); });
}

void GarbageCollector::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GarbageCollector::Run(std::chrono::milliseconds interval) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (cv_.wait_for(lock, interval, [this] { return stop_; })) return;
    lock.unlock();
    try {
      RunPass();
    } catch (const std::exception& e) {
      // A failed pass loses nothing: the next one sees the same versions.
      spdlog::error("mvcc gc: pass failed: {}", e.what());
    }
    lock.lock();
  }
}

GcStats GarbageCollector::Stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void GarbageCollector::RunPass() {
  std::lock_guard pass(pass_mutex_);
  auto started = std::chrono::steady_clock::now();
  Timestamp horizon = engine_->GcHorizon();
  auto [data_scanned, data_removed] = CollectDatabase(engine_->Dbi(KeySpace::kData), horizon);
  auto [meta_scanned, meta_removed] = CollectDatabase(engine_->Dbi(KeySpace::kMeta), horizon);
  // Cluster mode: the newest-commit marks only need their last entry.
  engine_->TrimCommitMarks();
  uint64_t scanned = data_scanned + meta_scanned;
  uint64_t removed = data_removed + meta_removed;
  {
    std::lock_guard lock(mutex_);
    ++stats_.passes;
    stats_.versions_scanned += scanned;
    stats_.versions_removed += removed;
    stats_.last_horizon = horizon;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  spdlog::info("mvcc gc: horizon {} scanned {} removed {} versions in {} ms", horizon, scanned, removed, ms.count());
}

std::pair<uint64_t, uint64_t> GarbageCollector::CollectDatabase(MDB_dbi dbi, Timestamp horizon) {
  uint64_t scanned = 0;
  uint64_t removed = 0;
  WriteSet batch;
  auto flush = [&] {
    if (batch.empty()) return;
    CommitRequest request;
    request.kind = CommitRequest::Kind::kWrites;
    request.dbi = dbi;
    request.writes = &batch;
    engine_->Committer().Submit(&request);
    removed += batch.size();
    batch.clear();
  };
  // Opened after the horizon was taken, so it holds every version a snapshot
  // at the horizon reads. Deletions submitted meanwhile do not disturb it.
  MDB_txn* reader = engine_->AcquireReader();
  MDB_cursor* cursor = nullptr;
  try {
    CheckLmdb(mdb_cursor_open(reader, dbi, &cursor), "mdb_cursor_open");
    std::string current;  // user key of the group being decided
    bool found_floor = false;
    MDB_val k, v;
    int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
    for (; rc == MDB_SUCCESS; rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
      std::string_view user;
      Timestamp ts = kNoTimestamp;
      VersionTag tag{};
      std::string_view row;
      TS_ASSERT(DecodeVersionKey(FromVal(k), &user, &ts), "stored MVCC key has a timestamp");
      TS_ASSERT(DecodeVersionValue(FromVal(v), &tag, &row), "stored MVCC value has a tag");
      ++scanned;
      if (scanned == 1 || user != current) {
        // A key boundary: the only place a chunk may end.
        if (batch.size() >= kChunk) flush();
        current.assign(user);
        found_floor = false;
      }
      if (ShouldDropVersion(ts, tag == VersionTag::kTombstone, horizon, &found_floor)) {
        batch.emplace(std::string(FromVal(k)), std::nullopt);
      }
    }
    if (rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_cursor_get");
    flush();
  } catch (...) {
    if (cursor != nullptr) mdb_cursor_close(cursor);
    engine_->ReleaseReader(reader);
    throw;
  }
  mdb_cursor_close(cursor);
  engine_->ReleaseReader(reader);
  return {scanned, removed};
}

}  // namespace tessera::storage::mvcc
