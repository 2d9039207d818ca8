#include "storage/replication_log.h"

#include "common/error.h"
#include "storage/lmdb_util.h"

namespace tessera::storage {

namespace {

constexpr uint8_t kVersion = 1;

void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void PutBytes(std::string& out, std::string_view bytes) {
  PutVarint(out, bytes.size());
  out.append(bytes);
}

[[noreturn]] void Corrupt(const std::string& what) {
  throw SqlError("XX001", "replication log record is corrupt: " + what);
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  bool AtEnd() const { return rest_.empty(); }
  uint8_t Byte() {
    if (rest_.empty()) Corrupt("truncated");
    uint8_t b = static_cast<uint8_t>(rest_[0]);
    rest_.remove_prefix(1);
    return b;
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b = Byte();
      v |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) return v;
    }
    Corrupt("varint too long");
  }
  std::string_view Bytes() {
    uint64_t n = Varint();
    if (n > rest_.size()) Corrupt("truncated bytes");
    std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }

 private:
  std::string_view rest_;
};

std::string PositionKey(uint64_t position) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i) {
    key[static_cast<size_t>(i)] = static_cast<char>(position & 0xff);
    position >>= 8;
  }
  return key;
}

uint64_t PositionOf(std::string_view key) {
  if (key.size() != 8) throw SqlError(sqlstate::kInternalError, "replication log key is not a position");
  uint64_t position = 0;
  for (char c : key) position = (position << 8) | static_cast<uint8_t>(c);
  return position;
}

void Fnv(uint64_t& hash, std::string_view bytes) {
  // Length first, so ("ab","c") and ("a","bc") differ.
  uint64_t n = bytes.size();
  for (int i = 0; i < 8; ++i) {
    hash ^= (n >> (8 * i)) & 0xff;
    hash *= 1099511628211ull;
  }
  for (char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 1099511628211ull;
  }
}

}  // namespace

// --- codec ------------------------------------------------------------------------

void LogRecordWriter::Put(uint8_t database, std::string_view key, std::string_view value) {
  body_.push_back(static_cast<char>(LogOp::Kind::kPut));
  body_.push_back(static_cast<char>(database));
  PutBytes(body_, key);
  PutBytes(body_, value);
}

void LogRecordWriter::Delete(uint8_t database, std::string_view key) {
  body_.push_back(static_cast<char>(LogOp::Kind::kDelete));
  body_.push_back(static_cast<char>(database));
  PutBytes(body_, key);
}

void LogRecordWriter::DeleteRange(uint8_t database, std::string_view start, std::string_view end) {
  body_.push_back(static_cast<char>(LogOp::Kind::kDeleteRange));
  body_.push_back(static_cast<char>(database));
  PutBytes(body_, start);
  PutBytes(body_, end);
}

std::string LogRecordWriter::Finish(uint64_t epoch) {
  std::string record;
  record.reserve(body_.size() + 96);
  record.push_back(static_cast<char>(kVersion));
  PutVarint(record, epoch);
  PutVarint(record, names_->size());
  for (const std::string& name : *names_) PutBytes(record, name);
  record.append(body_);
  body_.clear();
  return record;
}

DecodedLogRecord DecodeLogRecord(std::string_view bytes) {
  Reader in(bytes);
  if (in.Byte() != kVersion) Corrupt("unknown version");
  DecodedLogRecord record;
  record.epoch = in.Varint();
  uint64_t count = in.Varint();
  if (count > 255) Corrupt("too many databases");
  std::vector<std::string> names;
  for (uint64_t i = 0; i < count; ++i) names.emplace_back(in.Bytes());
  while (!in.AtEnd()) {
    LogOp op;
    uint8_t kind = in.Byte();
    if (kind < 1 || kind > 3) Corrupt("unknown operation " + std::to_string(kind));
    op.kind = static_cast<LogOp::Kind>(kind);
    uint8_t database = in.Byte();
    if (database >= names.size()) Corrupt("unknown database index");
    op.database = names[database];
    op.key = std::string(in.Bytes());
    if (op.kind != LogOp::Kind::kDelete) op.value = std::string(in.Bytes());
    record.ops.push_back(std::move(op));
  }
  return record;
}

std::string EncodeLogRecord(uint64_t epoch, const std::vector<LogOp>& ops) {
  std::vector<std::string> names;
  auto index = [&](const std::string& name) {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return static_cast<uint8_t>(i);
    names.push_back(name);
    return static_cast<uint8_t>(names.size() - 1);
  };
  std::vector<uint8_t> indexes;
  for (const LogOp& op : ops) indexes.push_back(index(op.database));
  LogRecordWriter writer(&names);
  for (size_t i = 0; i < ops.size(); ++i) {
    const LogOp& op = ops[i];
    switch (op.kind) {
      case LogOp::Kind::kPut: writer.Put(indexes[i], op.key, op.value); break;
      case LogOp::Kind::kDelete: writer.Delete(indexes[i], op.key); break;
      case LogOp::Kind::kDeleteRange: writer.DeleteRange(indexes[i], op.key, op.value); break;
    }
  }
  return writer.Finish(epoch);
}

// --- the log in LMDB -----------------------------------------------------------------

ReplicationLog::ReplicationLog(MDB_env* env, MDB_txn* txn) : env_(env) {
  CheckLmdb(mdb_dbi_open(txn, kDatabaseName, MDB_CREATE, &dbi_), "mdb_dbi_open (replication log)");
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, dbi_, &cursor), "mdb_cursor_open");
  MDB_val k, v;
  uint64_t first = 0, last = 0;
  int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
  if (rc == MDB_SUCCESS && PositionOf(FromVal(k)) == 0) {
    unlogged_history_ = true;
    rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT);
  }
  if (rc == MDB_SUCCESS) first = PositionOf(FromVal(k));
  if (mdb_cursor_get(cursor, &k, &v, MDB_LAST) == MDB_SUCCESS) {
    last = PositionOf(FromVal(k));
    if (last != 0) last_hash_ = RecordHash(FromVal(v));
  }
  mdb_cursor_close(cursor);
  pending_hash_ = last_hash_;
  last_ = last;
  first_ = first == 0 ? last + 1 : first;
  pending_last_ = last;
  pending_first_ = first_;
}

void ReplicationLog::RegisterDatabase(MDB_dbi dbi, const std::string& name) {
  TS_ASSERT(names_.size() < 255, "at most 255 replicated databases");
  names_.push_back(name);
  dbis_.push_back(dbi);
}

void ReplicationLog::NoteHistoryBeforeLog(MDB_txn* txn) {
  if (last_ != 0 || unlogged_history_) return;
  for (MDB_dbi dbi : dbis_) {
    MDB_stat stat;
    CheckLmdb(mdb_stat(txn, dbi, &stat), "mdb_stat");
    if (stat.ms_entries == 0) continue;
    std::string key = PositionKey(0);
    MDB_val k = ToVal(key), v = ToVal("");
    CheckLmdb(mdb_put(txn, dbi_, &k, &v, 0), "mdb_put (replication log marker)");
    unlogged_history_ = true;
    return;
  }
}

uint8_t ReplicationLog::DatabaseIndex(MDB_dbi dbi) const {
  for (size_t i = 0; i < dbis_.size(); ++i)
    if (dbis_[i] == dbi) return static_cast<uint8_t>(i);
  throw SqlError(sqlstate::kInternalError, "a commit wrote a database the replication log does not know");
}

MDB_dbi ReplicationLog::DatabaseNamed(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return dbis_[i];
  throw SqlError(sqlstate::kInternalError, "replication log record writes unknown database \"" + name + "\"");
}

uint64_t ReplicationLog::RecordHash(std::string_view record) {
  uint64_t hash = 14695981039346656037ull;
  Fnv(hash, record);
  return hash == 0 ? 1 : hash;
}

uint64_t ReplicationLog::Append(MDB_txn* txn, std::string_view record) {
  uint64_t position = pending_last_ + 1;
  std::string key = PositionKey(position);
  MDB_val k = ToVal(key), v = ToVal(record);
  // MDB_APPEND: positions only grow, so the insert goes to the last page.
  CheckLmdb(mdb_put(txn, dbi_, &k, &v, MDB_APPEND), "mdb_put (replication log)");
  pending_last_ = position;
  pending_hash_ = RecordHash(record);
  return position;
}

void ReplicationLog::ApplyRecords(MDB_txn* txn, const std::vector<PositionedRecord>& records) {
  for (const auto& [position, bytes] : records) {
    if (position != pending_last_ + 1)
      throw SqlError(sqlstate::kInternalError, "replication log gap: position " + std::to_string(position) +
                                                   " after " + std::to_string(pending_last_));
    DecodedLogRecord record = DecodeLogRecord(bytes);
    for (const LogOp& op : record.ops) {
      MDB_dbi dbi = DatabaseNamed(op.database);
      MDB_val k = ToVal(op.key);
      switch (op.kind) {
        case LogOp::Kind::kPut: {
          MDB_val v = ToVal(op.value);
          CheckLmdb(mdb_put(txn, dbi, &k, &v, 0), "mdb_put (applying the log)");
          break;
        }
        case LogOp::Kind::kDelete: {
          int rc = mdb_del(txn, dbi, &k, nullptr);
          if (rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_del (applying the log)");
          break;
        }
        case LogOp::Kind::kDeleteRange: {
          MDB_cursor* cursor = nullptr;
          CheckLmdb(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open");
          for (;;) {
            MDB_val at = ToVal(op.key), value;
            int rc = mdb_cursor_get(cursor, &at, &value, MDB_SET_RANGE);
            if (rc == MDB_NOTFOUND) break;
            if (rc != MDB_SUCCESS) {
              mdb_cursor_close(cursor);
              ThrowLmdb(rc, "mdb_cursor_get (applying the log)");
            }
            // Byte order, exactly as the primary's committer compared.
            if (!op.value.empty() && FromVal(at) >= op.value) break;
            rc = mdb_cursor_del(cursor, 0);
            if (rc != MDB_SUCCESS) {
              mdb_cursor_close(cursor);
              ThrowLmdb(rc, "mdb_cursor_del (applying the log)");
            }
          }
          mdb_cursor_close(cursor);
          break;
        }
      }
    }
    Append(txn, bytes);
  }
}

void ReplicationLog::TrimBelow(MDB_txn* txn, uint64_t position, size_t limit) {
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, dbi_, &cursor), "mdb_cursor_open");
  size_t removed = 0;
  const std::string from = PositionKey(1);  // never the marker at 0
  MDB_val k, v;
  while (removed < limit && (k = ToVal(from), mdb_cursor_get(cursor, &k, &v, MDB_SET_RANGE)) == MDB_SUCCESS) {
    uint64_t at = PositionOf(FromVal(k));
    // The last record always stays: it is what the position restarts from.
    if (at >= position || at >= pending_last_) break;
    int rc = mdb_cursor_del(cursor, 0);
    if (rc != MDB_SUCCESS) {
      mdb_cursor_close(cursor);
      ThrowLmdb(rc, "mdb_cursor_del (trimming the log)");
    }
    pending_first_ = at + 1;
    ++removed;
  }
  mdb_cursor_close(cursor);
}

void ReplicationLog::Published() {
  {
    std::lock_guard lock(mutex_);
    last_ = pending_last_;
    first_ = pending_first_;
    last_hash_ = pending_hash_;
  }
  cv_.notify_all();
}

void ReplicationLog::Abandoned() {
  pending_last_ = last_.load();
  pending_hash_ = last_hash_.load();
  pending_first_ = first_.load();
}

bool ReplicationLog::WaitBeyond(uint64_t position, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, wait, [&] { return last_.load() > position; });
}

void ReplicationLog::WakeWaiters() {
  { std::lock_guard lock(mutex_); }
  cv_.notify_all();
}

namespace {

// A read-only snapshot of the log with a cursor over it, both closed when
// it goes out of scope.
class LogCursor {
 public:
  LogCursor(MDB_env* env, MDB_dbi dbi, const char* what) {
    CheckLmdb(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn_), what);
    int rc = mdb_cursor_open(txn_, dbi, &cursor_);
    if (rc != MDB_SUCCESS) {
      mdb_txn_abort(txn_);
      ThrowLmdb(rc, "mdb_cursor_open");
    }
  }
  ~LogCursor() {
    mdb_cursor_close(cursor_);
    mdb_txn_abort(txn_);
  }
  LogCursor(const LogCursor&) = delete;
  LogCursor& operator=(const LogCursor&) = delete;
  MDB_cursor* get() const { return cursor_; }

 private:
  MDB_txn* txn_ = nullptr;
  MDB_cursor* cursor_ = nullptr;
};

}  // namespace

std::vector<PositionedRecord> ReplicationLog::Read(uint64_t from, size_t max_bytes) {
  std::vector<PositionedRecord> out;
  LogCursor cursor(env_, dbi_, "mdb_txn_begin (read log)");
  std::string start = PositionKey(from);
  MDB_val k = ToVal(start), v;
  size_t bytes = 0;
  for (int rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_RANGE); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
    if (!out.empty() && bytes + v.mv_size > max_bytes) break;
    out.emplace_back(PositionOf(FromVal(k)), std::string(FromVal(v)));
    bytes += v.mv_size;
  }
  return out;
}

uint64_t ReplicationLog::BytesAfter(uint64_t position, uint64_t cap) {
  LogCursor cursor(env_, dbi_, "mdb_txn_begin (log bytes)");
  std::string start = PositionKey(position + 1);
  MDB_val k = ToVal(start), v;
  uint64_t bytes = 0;
  for (int rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_RANGE); rc == MDB_SUCCESS && bytes < cap;
       rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT))
    bytes += v.mv_size;
  return bytes;
}

ReplicationLog::Checksum ReplicationLog::TakeChecksum() {
  Checksum sum;
  sum.hash = 14695981039346656037ull;
  MDB_txn* txn = nullptr;
  CheckLmdb(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "mdb_txn_begin (checksum)");
  try {
    MDB_cursor* cursor = nullptr;
    MDB_val k, v;
    // The position as of this very snapshot: the last record it holds.
    CheckLmdb(mdb_cursor_open(txn, dbi_, &cursor), "mdb_cursor_open");
    if (mdb_cursor_get(cursor, &k, &v, MDB_LAST) == MDB_SUCCESS) sum.position = PositionOf(FromVal(k));
    mdb_cursor_close(cursor);
    for (size_t i = 0; i < names_.size(); ++i) {
      Fnv(sum.hash, names_[i]);
      CheckLmdb(mdb_cursor_open(txn, dbis_[i], &cursor), "mdb_cursor_open");
      for (int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
           rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
        Fnv(sum.hash, FromVal(k));
        Fnv(sum.hash, FromVal(v));
        ++sum.entries;
      }
      mdb_cursor_close(cursor);
    }
  } catch (...) {
    mdb_txn_abort(txn);
    throw;
  }
  mdb_txn_abort(txn);
  return sum;
}

}  // namespace tessera::storage
