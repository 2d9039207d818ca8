#include "storage/mvcc/prepared_store.h"

#include "common/error.h"
#include "storage/lmdb_util.h"

namespace tessera::storage::mvcc {

namespace {

// Bumped if the layout ever changes; a record of an unknown version is
// refused rather than misread.
constexpr uint8_t kFormatVersion = 1;

void PutFixed(std::string* out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) out->push_back(static_cast<char>(value >> (8 * (bytes - 1 - i))));
}

void PutBytes(std::string* out, std::string_view bytes) {
  PutFixed(out, bytes.size(), 4);
  out->append(bytes);
}

// Reads the layout front to back; any overrun turns `ok` false for good.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint64_t Fixed(size_t bytes) {
    if (!ok_ || in_.size() < bytes) return Fail();
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<uint8_t>(in_[i]);
    in_.remove_prefix(bytes);
    return value;
  }
  std::string Bytes() {
    uint64_t size = Fixed(4);
    if (!ok_ || in_.size() < size) return Fail(), std::string();
    std::string bytes(in_.substr(0, size));
    in_.remove_prefix(size);
    return bytes;
  }
  bool Done() const { return ok_ && in_.empty(); }
  bool Ok() const { return ok_; }

 private:
  uint64_t Fail() {
    ok_ = false;
    return 0;
  }
  std::string_view in_;
  bool ok_ = true;
};

}  // namespace

std::string EncodePreparedRecord(const PreparedRecord& record) {
  std::string out;
  PutFixed(&out, kFormatVersion, 1);
  PutFixed(&out, static_cast<uint8_t>(record.space), 1);
  PutFixed(&out, static_cast<uint8_t>(record.isolation), 1);
  PutFixed(&out, record.snapshot_ts, 8);
  PutFixed(&out, record.floor, 8);
  PutBytes(&out, record.coordinator);
  PutFixed(&out, record.writes.size(), 8);
  for (const auto& [key, value] : record.writes) {
    PutBytes(&out, key);
    PutFixed(&out, value ? 1 : 0, 1);
    if (value) PutBytes(&out, *value);
    auto locked = record.locked_at.find(key);
    PutFixed(&out, locked == record.locked_at.end() ? kNoTimestamp : locked->second, 8);
  }
  return out;
}

bool DecodePreparedRecord(std::string_view external_id, std::string_view value, PreparedRecord* record) {
  Reader in(value);
  if (in.Fixed(1) != kFormatVersion) return false;
  uint64_t space = in.Fixed(1);
  uint64_t isolation = in.Fixed(1);
  if (space > static_cast<uint8_t>(KeySpace::kMeta) ||
      isolation > static_cast<uint8_t>(IsolationLevel::kRepeatableRead)) {
    return false;
  }
  PreparedRecord out;
  out.external_id = std::string(external_id);
  out.space = static_cast<KeySpace>(space);
  out.isolation = static_cast<IsolationLevel>(isolation);
  out.snapshot_ts = in.Fixed(8);
  out.floor = in.Fixed(8);
  out.coordinator = in.Bytes();
  uint64_t count = in.Fixed(8);
  for (uint64_t i = 0; i < count && in.Ok(); ++i) {
    std::string key = in.Bytes();
    std::optional<std::string> row;
    uint64_t present = in.Fixed(1);
    if (present > 1) return false;
    if (present == 1) row = in.Bytes();
    out.locked_at[key] = in.Fixed(8);
    out.writes.emplace(std::move(key), std::move(row));
  }
  if (!in.Done() || out.writes.size() != count) return false;
  *record = std::move(out);
  return true;
}

std::vector<PreparedRecord> LoadPreparedRecords(MDB_txn* txn, MDB_dbi prepared) {
  std::vector<PreparedRecord> records;
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, prepared, &cursor), "mdb_cursor_open");
  MDB_val k, v;
  int rc = mdb_cursor_get(cursor, &k, &v, MDB_FIRST);
  for (; rc == MDB_SUCCESS; rc = mdb_cursor_get(cursor, &k, &v, MDB_NEXT)) {
    PreparedRecord record;
    if (!DecodePreparedRecord(FromVal(k), FromVal(v), &record)) {
      mdb_cursor_close(cursor);
      throw SqlError(sqlstate::kDataCorrupted,
                     "corrupt prepare record for transaction \"" + std::string(FromVal(k)) + "\"");
    }
    records.push_back(std::move(record));
  }
  mdb_cursor_close(cursor);
  if (rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_cursor_get");
  return records;
}

}  // namespace tessera::storage::mvcc
