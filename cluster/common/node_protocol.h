// The requests a gateway (or another node) sends a storage node, over the
// transport (cluster/transport). Each is a field-numbered encoding
// (planner/codec_buffer.h), so fields can be added without breaking older
// peers; the transport frame carries the method and protocol version.
//
// Transactions are named by the gateway ("<gateway>-<n>"); a storage node
// keeps a participant per name until commit or rollback. An empty name is a
// one-shot statement: the node begins, runs and (with commit_now) commits it
// in one request, at its own latest snapshot.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/value.h"

namespace tessera::cluster {

enum Method : uint16_t {
  kExecute = 1,   // run a fragment: ExecuteRequest -> ExecuteResponse
  kKv = 2,        // DDL's key-value work: KvRequest -> KvResponse
  kPrepare = 3,   // TxnRequest (durable intents) -> empty
  kCommit = 4,    // TxnRequest -> empty
  kRollback = 5,  // TxnRequest -> empty
  kTxnStatus = 6, // TxnRequest -> TxnStatusResponse (asked of the primary participant)
  kTimestamps = 7,// TimestampRequest -> TimestampResponse (asked of the oracle leader)
  kPing = 8,      // empty -> node description (ctl status)
  kWaitEdges = 9, // empty -> WaitEdgesResponse (asked by the deadlock detector)
  kBreakWait = 10,// TxnRequest -> empty: the named transaction's lock wait fails with 40P01
  kReplicate = 11,// primary -> backup: ReplicateRequest -> ReplicateResponse (cluster/replication)
  kChecksum = 12, // empty -> JSON {position, hash, entries} of the node's databases (ctl checksum)
  kRollbackTo = 13,// TxnRequest (after_statement) -> empty: ROLLBACK TO SAVEPOINT on a participant
  kUnlockRows = 14,// TxnRequest (table_id, row_keys) -> empty: drop FOR UPDATE locks beyond a LIMIT
  kHandOver = 15, // ctl -> primary: JSON {to} -> JSON of the move (planned_failover.cpp)
  kTakeOver = 16, // old primary -> chosen backup: JSON {epoch, from} -> empty (planned_failover.cpp)
};

// Which transaction a request belongs to, and how it reads.
struct TxnHeader {
  std::string txn_id;           // empty: one-shot
  uint64_t snapshot_ts = 0;     // 0: the node's latest (the node reports what it used)
  uint8_t isolation = 0;        // storage::mvcc::IsolationLevel
  int64_t lock_timeout_ms = 0;  // 0: wait forever
  // Statements are numbered within the transaction: under READ COMMITTED a
  // participant takes a new snapshot (snapshot_ts, or its latest) whenever
  // the number changes.
  uint64_t statement = 0;
  // The transaction has savepoints: the participant remembers where each
  // statement's writes begin, so kRollbackTo can undo those after one.
  bool keep_undo = false;
};

struct ExecuteRequest {
  TxnHeader txn;
  std::string fragment_request;  // planner::EncodeFragmentRequest
  TextFormat format;             // for expressions the fragment evaluates
  int64_t statement_timestamp = 0;
  int64_t transaction_timestamp = 0;
  bool commit_now = false;       // one-shot: commit the writes before answering
  // A one-shot point lookup: the node may run it on the I/O thread that
  // read it (transport RunInline) when nothing could make it wait.
  bool quick = false;
  // statement_timeout: the milliseconds the statement had left when this
  // was sent (0: no timeout); the node stops the fragment with 57014 then.
  int64_t time_left_ms = 0;
  // The statement's memory limit in bytes (0: the node's default), which
  // the fragment's buffers are charged against on the node.
  int64_t memory_limit = 0;
};

struct ExecuteResponse {
  std::string fragment_result;  // planner::EncodeFragmentResult
  uint64_t snapshot_ts = 0;     // the snapshot the node read at
  bool wrote = false;           // the participant has writes now
};

struct KvRequest {
  enum class Op : uint8_t { kGet = 1, kPut = 2, kDelete = 3, kScan = 4 };
  TxnHeader txn;
  Op op = Op::kGet;
  std::string key;
  std::string value;    // kPut
  std::string end_key;  // kScan: exclusive; empty: unbounded
};

struct KvResponse {
  bool found = false;  // kGet
  std::string value;   // kGet
  std::vector<std::pair<std::string, std::string>> pairs;  // kScan
};

struct TxnRequest {
  std::string txn_id;
  uint64_t commit_ts = 0;    // kCommit: 0 = one-phase (the node takes the timestamp itself)
  bool write_record = false; // kCommit of the primary: the decision record goes with the data
  std::string coordinator;   // kPrepare: the primary participant's group, for the cleaner
  uint64_t after_statement = 0;  // kRollbackTo: undo the writes of statements numbered above this
  // kUnlockRows: the rows of table `table_id` (primary key suffixes) whose
  // FOR UPDATE locks go (those the participant wrote keep theirs).
  uint32_t table_id = 0;
  std::vector<std::string> row_keys;
};

struct TxnStatusResponse {
  enum class State : uint8_t { kPending = 0, kCommitted = 1, kAborted = 2 };
  State state = State::kPending;
  uint64_t commit_ts = 0;
};

struct TimestampRequest {
  uint32_t count = 1;
};
struct TimestampResponse {
  uint64_t first = 0;
};

// The lock waits of a node's named transactions: `waiter` waits for a row
// lock that `holder` has, since `waited_ms` ago.
struct WaitEdgesResponse {
  struct Edge {
    std::string waiter;
    std::string holder;
    int64_t waited_ms = 0;
  };
  std::vector<Edge> edges;
};

std::string Encode(const ExecuteRequest& r);
std::string Encode(const ExecuteResponse& r);
std::string Encode(const KvRequest& r);
std::string Encode(const KvResponse& r);
std::string Encode(const TxnRequest& r);
std::string Encode(const TxnStatusResponse& r);
std::string Encode(const TimestampRequest& r);
std::string Encode(const TimestampResponse& r);
std::string Encode(const WaitEdgesResponse& r);

// Each throws SqlError XX001 on bytes it cannot read.
template <typename T>
T Decode(std::string_view bytes);

// The transaction record a primary writes at commit (and an abort record).
std::string EncodeTxnRecord(const TxnStatusResponse& status);
TxnStatusResponse DecodeTxnRecord(std::string_view bytes);

}  // namespace tessera::cluster
