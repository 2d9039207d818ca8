// What a cluster-mode node must remember of the TSO's timestamps across a
// restart (prepare_gate.h uses both):
//  - the newest commit timestamp that landed here, so a "latest" snapshot
//    after the restart still sees every commit acknowledged before it;
//  - the GC floor, the highest horizon a GC pass ever used, so a snapshot
//    below it (whose versions may be gone) is refused after a restart too.
//
// Commit marks: each cluster commit adds the 8-byte big-endian key C to the
// "mvcc_commits" database in its own LMDB write transaction, and the newest
// is the last key. A single "max" key would not do: two commits sharing a
// group-commit batch may be applied out of timestamp order, and the later
// one would overwrite a higher value with a lower one. The GC trims the
// older marks (StaleCommitMarks).
//
// The GC floor is one 8-byte key in the plain "meta" database, written before
// a pass deletes anything under the new horizon.
#pragma once

#include <lmdb.h>

#include <string>

#include "storage/group_committer.h"
#include "storage/mvcc/version_key.h"

namespace tessera::storage::mvcc {

inline constexpr std::string_view kCommitMarksDb = "mvcc_commits";
// Outside the counter prefix of AllocateRange: no counter can collide.
inline constexpr std::string_view kGcFloorKey = "mvcc/gc_floor";

std::string EncodeTimestamp(Timestamp ts);  // 8 bytes big-endian
// kNoTimestamp if `bytes` is not 8 bytes long.
Timestamp DecodeTimestamp(std::string_view bytes);

// The newest mark, or kNoTimestamp if none.
Timestamp NewestCommitMark(MDB_txn* txn, MDB_dbi marks);
// Deletions for up to `limit` marks below the newest.
WriteSet StaleCommitMarks(MDB_txn* txn, MDB_dbi marks, size_t limit);

// The stored GC floor, or kNoTimestamp.
Timestamp ReadGcFloor(MDB_txn* txn, MDB_dbi plain_meta);

}  // namespace tessera::storage::mvcc
