#include "storage/mvcc/durable_clock.h"

#include "storage/lmdb_util.h"

namespace tessera::storage::mvcc {

std::string EncodeTimestamp(Timestamp ts) {
  std::string out(kTimestampSize, '\0');
  for (size_t i = 0; i < kTimestampSize; ++i) out[i] = static_cast<char>(ts >> (8 * (kTimestampSize - 1 - i)));
  return out;
}

Timestamp DecodeTimestamp(std::string_view bytes) {
  if (bytes.size() != kTimestampSize) return kNoTimestamp;
  Timestamp ts = 0;
  for (char c : bytes) ts = (ts << 8) | static_cast<uint8_t>(c);
  return ts;
}

Timestamp NewestCommitMark(MDB_txn* txn, MDB_dbi marks) {
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, marks, &cursor), "mdb_cursor_open");
  MDB_val k, v;
  int rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST);
  mdb_cursor_close(cursor);
  if (rc == MDB_NOTFOUND) return kNoTimestamp;
  CheckLmdb(rc, "mdb_cursor_get");
  return DecodeTimestamp(FromVal(k));
}

WriteSet StaleCommitMarks(MDB_txn* txn, MDB_dbi marks, size_t limit) {
  WriteSet stale;
  MDB_cursor* cursor = nullptr;
  CheckLmdb(mdb_cursor_open(txn, marks, &cursor), "mdb_cursor_open");
  // Backwards from the newest, which stays.
  MDB_val k, v;
  int rc = mdb_cursor_get(cursor, &k, &v, MDB_LAST);
  if (rc == MDB_SUCCESS) rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV);
  while (rc == MDB_SUCCESS && stale.size() < limit) {
    stale.emplace(std::string(FromVal(k)), std::nullopt);
    rc = mdb_cursor_get(cursor, &k, &v, MDB_PREV);
  }
  mdb_cursor_close(cursor);
  if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_cursor_get");
  return stale;
}

Timestamp ReadGcFloor(MDB_txn* txn, MDB_dbi plain_meta) {
  MDB_val k = ToVal(kGcFloorKey), v;
  int rc = mdb_get(txn, plain_meta, &k, &v);
  if (rc == MDB_NOTFOUND) return kNoTimestamp;
  CheckLmdb(rc, "mdb_get");
  return DecodeTimestamp(FromVal(v));
}

}  // namespace tessera::storage::mvcc
