// A storage node's LMDB environment: an ordered, transactional key-value
// store with durable group commit. Keys are built by key_encoding.h so that
// byte order is SQL order. The SQL layers above see only Transaction and
// Iterator; LMDB types stay inside storage/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace tessera::storage {

class Iterator {
 public:
  virtual ~Iterator() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual std::string_view Key() const = 0;
  virtual std::string_view Value() const = 0;
};

// A transaction reads a consistent snapshot taken when it began, sees its own
// writes, and applies all of them atomically and durably at Commit. Writes
// are buffered in memory until then, so concurrent transactions never block
// each other (write-write conflicts are the MVCC layer's job, a later step).
// Not thread-safe: one user at a time, but it may move between threads.
// Iterators must be destroyed before their transaction; Put/Delete during a
// scan keep the iterator valid (writes ahead of it may or may not be seen).
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual std::optional<std::string> Get(std::string_view key) = 0;
  virtual void Put(std::string_view key, std::string_view value) = 0;
  virtual void Delete(std::string_view key) = 0;
  // Writes a key no other transaction can have written or be writing: one
  // built from a value allocated to this transaction alone (a hidden row
  // id from AllocateRange, an index entry ending in one). Engines with
  // write locks skip the lock and the check of committed versions, which a
  // bulk load would otherwise pay per row.
  virtual void PutNew(std::string_view key, std::string_view value) { Put(key, value); }
  // Keys in [start, end) in byte order, merging the snapshot with this
  // transaction's own writes. An empty `end` means no upper bound.
  virtual std::unique_ptr<Iterator> Scan(std::string_view start, std::string_view end) = 0;
  // Durable once it returns (fsync, shared with concurrent commits). Throws
  // SqlError on failure; the transaction is finished either way.
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool HasWrites() const = 0;

  // What LockRow found: `changed` when a version newer than the snapshot was
  // committed meanwhile; `latest` is then that version (nullopt: deleted).
  struct RowLock {
    bool changed = false;
    std::optional<std::string> latest;
  };
  // Takes the write lock on `key` before the caller updates, deletes or
  // inserts it (`current`: the value this transaction reads, nullopt if
  // none), waiting for another writer as PostgreSQL does. Under READ
  // COMMITTED a newer committed version is returned for the caller to
  // re-check (EvalPlanQual) and is what stays buffered until the caller
  // writes again; REPEATABLE READ throws 40001 instead. Engines without
  // write locks (LmdbEngine) report no change.
  virtual RowLock LockRow(std::string_view key, std::optional<std::string_view> current) {
    (void)key;
    (void)current;
    return {};
  }

  // SELECT ... FOR UPDATE: takes the write lock on the row `key` without
  // writing it; it is held until the transaction ends (or a ROLLBACK TO a
  // savepoint before it) and no version is written at commit. Waits for
  // another holder as LockRow does, unless `no_wait`: then `obtained` is
  // false at once. `changed`/`latest` as for LockRow (REPEATABLE READ: 40001).
  struct SelectLock {
    bool obtained = true;
    bool changed = false;
    std::optional<std::string> latest;
  };
  virtual SelectLock LockRowForSelect(std::string_view key, bool no_wait) {
    (void)key;
    (void)no_wait;
    throw SqlError(sqlstate::kFeatureNotSupported, "row locks need the MVCC engine");
  }

  // For an index build (executor/index_fence.h): the keys starting with
  // `prefix` that other transactions hold write locks on, with their
  // holders; whether transaction `other` waits for a lock this one holds;
  // and the newest committed version of a key, whatever the snapshot.
  struct LockedKey {
    std::string key;
    uint64_t holder = 0;
  };
  virtual std::vector<LockedKey> LockedByOthers(std::string_view prefix) {
    (void)prefix;
    return {};
  }
  virtual bool WaitsForMe(uint64_t other) {
    (void)other;
    return false;
  }
  virtual bool LockedByOther(std::string_view key) {
    (void)key;
    return false;
  }
  virtual std::optional<std::string> LatestCommitted(std::string_view key) { return Get(key); }
};

struct EngineOptions {
  size_t map_size = size_t{64} << 30;  // LMDB map size (virtual; grows the file lazily)
  bool sync = true;                    // fsync on commit (tests may turn it off for speed)
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Opens or creates the environment in `dir` (created if missing).
  static std::unique_ptr<Engine> Open(const std::string& dir, const EngineOptions& options = {});
  virtual std::unique_ptr<Transaction> Begin() = 0;
  // A transaction over the node's metadata key space (the catalog), kept
  // apart from rows and index entries so that no data key can collide with it.
  virtual std::unique_ptr<Transaction> BeginMeta() = 0;
  // Deletes every data key in [start, end) in one durable write, without
  // buffering the keys (DROP TABLE, TRUNCATE). An empty `end` is unbounded.
  virtual void DeleteRange(std::string_view start, std::string_view end) = 0;
  // Non-transactional counters (sequences, hidden row ids, table ids): the
  // next `count` values of counter `name`, persisted before returning, never
  // handed out twice even across crashes. Returns the first of the range;
  // a new counter starts at 1.
  virtual int64_t AllocateRange(std::string_view name, int64_t count) = 0;
};

}  // namespace tessera::storage
