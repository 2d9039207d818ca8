#include "storage/mvcc/version_reader.h"

#include "common/error.h"
#include "storage/lmdb_util.h"

namespace tessera::storage::mvcc {

namespace {

// The first stored key >= (user_key, ts), read with a short-lived cursor;
// `found` is false when there is none.
struct SeekResult {
  bool found = false;
  std::string_view user_key;
  Timestamp ts = kNoTimestamp;
  std::string_view value;
};

SeekResult SeekOnce(MDB_txn* txn, MDB_dbi dbi, std::string_view user_key, Timestamp ts) {
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
  std::string stored = EncodeVersionKey(user_key, ts);
  MDB_val k = ToVal(stored), v;
  int rc = mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE);
  mdb_cursor_close(cursor);
  SeekResult result;
  if (rc == MDB_NOTFOUND) return result;
  CheckLmdb(rc, "mdb_cursor_get");
  TS_ASSERT(DecodeVersionKey(FromVal(k), &result.user_key, &result.ts), "stored MVCC key has a timestamp");
  result.found = true;
  result.value = FromVal(v);
  return result;
}

}  // namespace

std::optional<std::string_view> ReadVisible(MDB_txn* txn, MDB_dbi dbi, std::string_view key, Timestamp snapshot) {
  SeekResult found = SeekOnce(txn, dbi, key, snapshot);
  if (!found.found || found.user_key != key) return std::nullopt;
  VersionTag tag{};
  std::string_view row;
  TS_ASSERT(DecodeVersionValue(found.value, &tag, &row), "stored MVCC value has a tag");
  if (tag == VersionTag::kTombstone) return std::nullopt;
  return row;
}

Timestamp NewestVersion(MDB_txn* txn, MDB_dbi dbi, std::string_view key) {
  SeekResult found = SeekOnce(txn, dbi, key, kMaxTimestamp);
  if (!found.found || found.user_key != key) return kNoTimestamp;
  return found.ts;
}

VersionCursor::VersionCursor(MDB_txn* txn, MDB_dbi dbi, Timestamp snapshot, std::string_view start,
                             std::string_view end)
    : snapshot_(snapshot), end_(end) {
  CheckLmdb(mdb_cursor_open(txn, dbi, &cursor_), "mdb_cursor_open");
  Seek(start, snapshot_);
  Settle();
}

VersionCursor::~VersionCursor() { mdb_cursor_close(cursor_); }

void VersionCursor::Seek(std::string_view user_key, Timestamp ts) {
  std::string stored = EncodeVersionKey(user_key, ts);
  MDB_val k = ToVal(stored), v;
  int rc = mdb_cursor_get(cursor_, &k, &v, MDB_SET_RANGE);
  Load(rc, k, v);
}

void VersionCursor::Step(MDB_cursor_op op) {
  MDB_val k, v;
  int rc = mdb_cursor_get(cursor_, &k, &v, op);
  Load(rc, k, v);
}

void VersionCursor::Load(int rc, const MDB_val& key, const MDB_val& value) {
  positioned_ = false;
  if (rc == MDB_NOTFOUND) return;
  CheckLmdb(rc, "mdb_cursor_get");
  TS_ASSERT(DecodeVersionKey(FromVal(key), &user_key_, &ts_), "stored MVCC key has a timestamp");
  stored_value_ = FromVal(value);
  positioned_ = true;
}

void VersionCursor::Settle() {
  valid_ = false;
  while (positioned_) {
    if (!end_.empty() && user_key_ >= end_) return;
    if (ts_ > snapshot_) {
      // Too new for us: jump to this key's newest version at or below the
      // snapshot, or to the next key if it has none.
      Seek(std::string(user_key_), snapshot_);
      continue;
    }
    VersionTag tag{};
    TS_ASSERT(DecodeVersionValue(stored_value_, &tag, &row_), "stored MVCC value has a tag");
    if (tag == VersionTag::kTombstone) {
      SkipKey();
      continue;
    }
    valid_ = true;
    return;
  }
}

void VersionCursor::SkipKey() {
  // Older versions are few once GC has run, so stepping beats a B+tree seek.
  std::string_view current = user_key_;  // points into the map: stable for the read txn
  while (positioned_ && user_key_ == current) Step(MDB_NEXT);
}

void VersionCursor::Next() {
  if (!valid_) return;
  SkipKey();
  Settle();
}

}  // namespace tessera::storage::mvcc
