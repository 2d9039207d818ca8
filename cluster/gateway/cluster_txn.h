// One SQL transaction across storage nodes (DESIGN.md, Transactions).
//
// Snapshots: REPEATABLE READ takes one timestamp from the oracle for the
// whole transaction. READ COMMITTED takes one per statement, except that a
// statement running a single fragment on a single group reads at that node's
// latest consistent point: one node's state includes every commit
// acknowledged so far that touched it, so no oracle round trip is needed.
//
// Participants: a read on a group where the transaction has written nothing
// runs one-shot (no state left on the node); a write makes the group a
// participant that holds the transaction's intents and locks until commit.
//
// Commit: no writer: release. One writer: one phase on that node (it takes
// the commit timestamp itself). Several: Percolator-style two phase — every
// writer prepares durably naming the first writer as primary, the gateway
// takes the commit timestamp, the primary commits with the transaction
// record (the decision), then the others; if this gateway dies in between,
// the nodes' cleaners settle the rest through the primary's record.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "cluster/common/node_protocol.h"
#include "cluster/gateway/cluster_backend.h"
#include "executor/backend.h"
#include "executor/statement_poll.h"

namespace tessera::cluster {

class ClusterTxn final : public executor::BackendTxn {
 public:
  ClusterTxn(ClusterBackend& backend, const storage::mvcc::TxnOptions& options);
  ~ClusterTxn() override;

  uint64_t Id() const override { return numeric_id_; }
  executor::IsolationLevel Isolation() const override { return options_.isolation; }
  void RefreshSnapshot() override;
  void SetLockTimeout(std::chrono::milliseconds timeout) override { options_.lock_timeout = timeout; }
  std::unique_ptr<executor::FragmentExecutor> Fragments(const executor::FragmentServices& services) override;
  storage::Transaction& Kv() override;
  void Commit() override;
  void Rollback() override;
  // A savepoint is the number of the last statement before it; the nodes
  // mark where each later statement's writes begin (participant_savepoints.cpp).
  uint64_t Savepoint() override;
  void RollbackTo(uint64_t mark) override;
  void ForgetSavepoints() override { keep_undo_ = false; }

  // --- For the fragment executor and the key-value view. ---
  planner::FragmentResult RunFragment(const planner::FragmentRequest& request,
                                      const executor::FragmentServices& services);
  // The header for a request to `group`; `participant` makes the group hold
  // this transaction's state (writes), else the request is one-shot.
  TxnHeader Header(bool participant, bool single_target);
  // `extra`: how much longer than the node timeout the answer may take
  // (prepare and commit of a large write set).
  std::string Call(int group, uint16_t method, const std::string& payload,
                   std::chrono::milliseconds extra = std::chrono::milliseconds(0));
  // Sends `payloads[i]` to `groups[i]` at once and waits for all answers.
  std::vector<std::string> CallAll(const std::vector<int>& groups, uint16_t method,
                                   const std::vector<std::string>& payloads,
                                   std::chrono::milliseconds extra = std::chrono::milliseconds(0));
  // When a request whose node failed it may go again (cluster_txn_failover.cpp):
  // never; only if the node never started it (no connection, or refused
  // on arrival: a backup, a primary without its lease); or after any
  // connection failure (a one-shot read, which leaves nothing behind).
  enum class Resend : uint8_t { kNever, kIfNotStarted, kAfterAnyConnectionFailure };
  // CallAll, except that a group whose call failed in a way its `resend`
  // allows is called again, at the address the node directory gives by
  // then (a failover's new primary), until it answers, the failover wait
  // ends, or `poll` (the statement's cancel and deadline) stops it.
  std::vector<std::string> CallThroughFailover(const std::vector<int>& groups, uint16_t method,
                                               const std::vector<std::string>& payloads,
                                               const std::vector<Resend>& resend,
                                               const executor::StatementPoll& poll);
  // `writes`: rows the request wrote there (commit time grows with them).
  void MarkParticipant(int group, bool wrote, int64_t writes = 0);
  ClusterBackend& Backend() { return backend_; }

 private:
  // One call per group, all at once; each group's reply or error.
  struct Outcome {
    std::string reply;
    std::exception_ptr error;
  };
  std::vector<Outcome> CallEach(const std::vector<int>& groups, uint16_t method,
                                const std::vector<std::string>& payloads, std::chrono::milliseconds extra);
  uint64_t StatementSnapshot();
  std::chrono::milliseconds CallTimeout(uint16_t method, std::chrono::milliseconds extra) const;
  // CallOptions::replaced for a call to `address` on behalf of `group`
  // (cluster_txn_failover.cpp): whether the gateway now routes the group
  // elsewhere, as it does once a failover elected another primary.
  std::function<bool()> ReplacedCheck(int group, const std::string& address);
  static planner::FragmentResult Concatenate(std::vector<planner::FragmentResult> parts);
  // Merges in key order, ticking `poll` (null: none) per row; takes the
  // rows out of `parts`.
  static planner::FragmentResult MergeByKey(std::vector<planner::FragmentResult>& parts,
                                            executor::StatementPoll* poll = nullptr);
  // Polls `poll` per decoded row: a cancel or the deadline stops the decoding.
  static bool DecodeReply(const std::string& reply, std::vector<planner::FragmentResult>* parts,
                          executor::StatementPoll* poll);
  // Gives back the row locks a fanned-out FOR UPDATE took beyond its LIMIT
  // (locked_rows_limit.h) and cuts `parts` (one per `groups` entry) to the rest.
  void UnlockBeyondLimit(const planner::Fragment& fragment, const planner::EvalContext& ctx, bool merge_by_key,
                         const std::vector<int>& groups, std::vector<planner::FragmentResult>& parts);
  static bool HasUniqueIndex(const planner::TableLayout& table);
  std::vector<Row> CheckUniqueAcrossShards(const planner::FragmentRequest& request);
  void Finish();
  void ReleaseAll(const std::vector<int>& groups);

  ClusterBackend& backend_;
  storage::mvcc::TxnOptions options_;
  std::string name_;
  uint64_t numeric_id_;
  uint64_t txn_snapshot_ = 0;        // REPEATABLE READ
  uint64_t statement_snapshot_ = 0;  // READ COMMITTED, this statement's
  uint64_t statement_ = 1;
  std::chrono::steady_clock::time_point statement_started_ = std::chrono::steady_clock::now();
  // The time a commit may take beyond the node timeout, for the largest
  // write set among `groups` (LMDB writes some 100k versions a second).
  std::chrono::milliseconds CommitAllowance(const std::vector<int>& groups) const;

  struct Part {
    bool wrote = false;
    int64_t writes = 0;
  };
  std::map<int, Part> participants_;
  std::unique_ptr<storage::Transaction> kv_;
  std::atomic<bool>* cancel_ = nullptr;  // the statement's cancel flag (57014 stops the calls)
  bool open_ = true;
  bool keep_undo_ = false;  // savepoints exist: requests ask nodes to mark statements
};

}  // namespace tessera::cluster
