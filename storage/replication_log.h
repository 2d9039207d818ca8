// The replication log (DESIGN.md, Replication and failover): what each LMDB
// write transaction of the group committer changed, recorded in that same
// transaction under a position (1, 2, 3, ... one per write transaction), so
// a crash keeps a commit and its log record together or neither. A primary
// ships the records to its backups, which apply them in position order in
// their own LMDB environment (ApplyRecords, through their committer, again
// with the record in the same transaction): a backup that has applied up to
// position P holds exactly the primary's databases as of P.
//
// The log is physical: puts, deletes and range deletes of named databases
// (the engine registers every database a commit may touch), so applying it
// needs no SQL, no timestamps and no locks. The log database itself is not
// part of what is replicated; each side trims its own.
//
// Record bytes: u8 version (1), varint epoch, varint database count, the
// names (varint length + bytes), then ops until the end, each u8 kind
// (1 put, 2 delete, 3 delete range), u8 database index, varint length + key,
// and for put the value, for delete range the end key (varint length + bytes).
#pragma once

#include <lmdb.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::storage {

struct LogOp {
  enum class Kind : uint8_t { kPut = 1, kDelete = 2, kDeleteRange = 3 };
  Kind kind = Kind::kPut;
  std::string database;
  std::string key;
  std::string value;  // kPut: the value; kDeleteRange: the end key (empty: unbounded)
  bool operator==(const LogOp&) const = default;
};

struct DecodedLogRecord {
  uint64_t epoch = 0;
  std::vector<LogOp> ops;
};

// Builds one record while the committer applies a batch.
class LogRecordWriter {
 public:
  explicit LogRecordWriter(const std::vector<std::string>* names) : names_(names) {}
  void Put(uint8_t database, std::string_view key, std::string_view value);
  void Delete(uint8_t database, std::string_view key);
  void DeleteRange(uint8_t database, std::string_view start, std::string_view end);
  bool Empty() const { return body_.empty(); }
  // The whole record; the writer is empty afterwards.
  std::string Finish(uint64_t epoch);

 private:
  const std::vector<std::string>* names_;
  std::string body_;
};

// Throws SqlError XX001 on bytes it cannot read.
DecodedLogRecord DecodeLogRecord(std::string_view bytes);
// Encodes ops given by name (tests, tools): the same bytes LogRecordWriter makes.
std::string EncodeLogRecord(uint64_t epoch, const std::vector<LogOp>& ops);

using PositionedRecord = std::pair<uint64_t, std::string>;

class ReplicationLog {
 public:
  static constexpr const char* kDatabaseName = "replication_log";

  // Opens (creates) the log's database in `txn`, the engine's opening write
  // transaction, and reads the positions it holds.
  ReplicationLog(MDB_env* env, MDB_txn* txn);
  // Every database a commit may write, with the name a backup knows it by.
  // Before the first commit.
  void RegisterDatabase(MDB_dbi dbi, const std::string& name);
  // In the opening transaction, after RegisterDatabase: if the log is new but
  // the databases already hold data (a data directory from before
  // replication), records that history as missing from the log (a marker
  // at position 0), for good: such a primary cannot seed a backup from its
  // log, and such a node cannot become a backup.
  void NoteHistoryBeforeLog(MDB_txn* txn);
  bool HasUnloggedHistory() const { return unlogged_history_; }
  void SetEpoch(uint64_t epoch) { epoch_ = epoch; }
  uint64_t Epoch() const { return epoch_; }

  // --- The committer thread, inside its write transaction. ---
  LogRecordWriter NewWriter() const { return LogRecordWriter(&names_); }
  // Index of a registered database in records (throws XX000 if unknown).
  uint8_t DatabaseIndex(MDB_dbi dbi) const;
  // Stores the record at the next position; returns that position, which
  // counts only once Published.
  uint64_t Append(MDB_txn* txn, std::string_view record);
  // A backup: applies the primary's records (consecutive, starting right
  // after the last position here) and stores them under their positions.
  // Throws SqlError XX000 on a gap or an unknown database.
  void ApplyRecords(MDB_txn* txn, const std::vector<PositionedRecord>& records);
  // Deletes records below `position` (at most `limit` of them, never the
  // last one); not logged.
  void TrimBelow(MDB_txn* txn, uint64_t position, size_t limit);
  // After the write transaction committed / failed.
  void Published();
  void Abandoned();

  // --- Anyone. ---
  uint64_t LastPosition() const { return last_.load(); }
  // A hash of the record at LastPosition() (0 when none): two replicas at
  // the same position whose last records differ have diverged (a deposed
  // primary's unacknowledged tail).
  uint64_t LastRecordHash() const { return last_hash_.load(); }
  static uint64_t RecordHash(std::string_view record);
  // The oldest position still stored (LastPosition()+1 when empty).
  uint64_t FirstPosition() const { return first_.load(); }
  // Waits until LastPosition() > position or `wait` passes; true if it is.
  bool WaitBeyond(uint64_t position, std::chrono::milliseconds wait);
  void WakeWaiters();
  // Records from `from` on, up to about `max_bytes` (at least one if any).
  std::vector<PositionedRecord> Read(uint64_t from, size_t max_bytes);
  // The bytes of the records after `position`, counted up to `cap` (a
  // backup's lag, for `tessera ctl status`; read without copying them).
  uint64_t BytesAfter(uint64_t position, uint64_t cap);

  struct Checksum {
    uint64_t position = 0;  // the log position the checksum was taken at
    uint64_t hash = 0;      // FNV-1a over every registered database's name, keys and values
    uint64_t entries = 0;
  };
  // Of every registered database, at one read snapshot.
  Checksum TakeChecksum();

 private:
  MDB_dbi DatabaseNamed(const std::string& name) const;

  MDB_env* env_;
  MDB_dbi dbi_ = 0;
  std::vector<std::string> names_;
  std::vector<MDB_dbi> dbis_;  // by index, parallel to names_
  std::atomic<uint64_t> epoch_{0};
  std::atomic<uint64_t> last_{0};
  std::atomic<uint64_t> first_{1};
  bool unlogged_history_ = false;
  std::atomic<uint64_t> last_hash_{0};
  uint64_t pending_hash_ = 0;
  uint64_t pending_last_ = 0;   // committer thread only: last position written in the open transaction
  uint64_t pending_first_ = 0;  // likewise, after trims
  std::mutex mutex_;
  std::condition_variable cv_;
};

}  // namespace tessera::storage
