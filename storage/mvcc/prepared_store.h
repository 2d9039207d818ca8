// Durable prepare records: what a cluster-mode participant writes at
// Prepare(durable) so that, after a crash, its prepared transaction comes
// back exactly as it was (still undecided, its keys locked) and the cleaner
// can commit or roll it back once it learns the coordinator's decision.
//
// One entry per prepared transaction in the plain LMDB database
// "mvcc_prepared", keyed by the transaction's external id. The value holds
// everything CommitAt needs: key space, isolation, snapshot and floor (the
// commit-ts check, prepare_gate.h), the coordinator bytes, and the whole
// write set with, per key, the newest committed version when it was locked
// (for the validation at commit). CommitAt deletes the entry in the same
// LMDB write transaction as the versions; Rollback deletes it.
#pragma once

#include <lmdb.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/group_committer.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::storage::mvcc {

inline constexpr std::string_view kPreparedDb = "mvcc_prepared";

struct PreparedRecord {
  std::string external_id;  // the LMDB key, not in the value
  std::string coordinator;
  KeySpace space = KeySpace::kData;
  IsolationLevel isolation = IsolationLevel::kRepeatableRead;
  Timestamp snapshot_ts = kNoTimestamp;
  Timestamp floor = kNoTimestamp;
  WriteSet writes;
  std::unordered_map<std::string, Timestamp> locked_at;  // same keys as `writes`
};

std::string EncodePreparedRecord(const PreparedRecord& record);
// False if `value` is not a prepare record this code wrote.
bool DecodePreparedRecord(std::string_view external_id, std::string_view value, PreparedRecord* record);

// Every record in the database; throws XX001 on one that does not decode.
std::vector<PreparedRecord> LoadPreparedRecords(MDB_txn* txn, MDB_dbi prepared);

}  // namespace tessera::storage::mvcc
