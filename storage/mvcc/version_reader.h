// Reads of the version layout (version_key.h) on one LMDB read transaction:
// the version of a key a snapshot sees, the newest committed version of a key
// (for write-conflict checks), and a cursor over the keys a snapshot sees in
// a range. Returned views point into LMDB's map and stay valid as long as
// the read transaction.
#pragma once

#include <lmdb.h>

#include <optional>
#include <string>
#include <string_view>

#include "storage/mvcc/version_key.h"

namespace tessera::storage::mvcc {

// The row `snapshot` sees for `key`; nullopt if absent or deleted there.
std::optional<std::string_view> ReadVisible(MDB_txn* txn, MDB_dbi dbi, std::string_view key, Timestamp snapshot);
// Commit timestamp of the newest version of `key` (a tombstone counts), or
// kNoTimestamp if it has none.
Timestamp NewestVersion(MDB_txn* txn, MDB_dbi dbi, std::string_view key);

// Walks the user keys in [start, end) that `snapshot` sees (newest version at
// or below it, and not a tombstone), in key order. Empty `end`: no bound.
class VersionCursor {
 public:
  VersionCursor(MDB_txn* txn, MDB_dbi dbi, Timestamp snapshot, std::string_view start, std::string_view end);
  ~VersionCursor();
  VersionCursor(const VersionCursor&) = delete;
  VersionCursor& operator=(const VersionCursor&) = delete;

  bool Valid() const { return valid_; }
  void Next();
  std::string_view Key() const { return user_key_; }
  std::string_view Value() const { return row_; }

 private:
  // Positions at the first stored key >= (user_key, ts).
  void Seek(std::string_view user_key, Timestamp ts);
  void Step(MDB_cursor_op op);
  void Load(int rc, const MDB_val& key, const MDB_val& value);
  // Moves forward to the first visible, live version (or to the end).
  void Settle();
  // Moves past every version of the current user key.
  void SkipKey();

  MDB_cursor* cursor_ = nullptr;
  Timestamp snapshot_;
  std::string end_;
  bool positioned_ = false;  // the cursor is on an entry
  bool valid_ = false;       // ...and it is the visible version of its key
  std::string_view user_key_;
  Timestamp ts_ = kNoTimestamp;
  std::string_view stored_value_;
  std::string_view row_;
};

}  // namespace tessera::storage::mvcc
