#include "cluster/gateway/cluster_txn.h"

#include <spdlog/spdlog.h>

#include <set>

#include "cluster/gateway/fragment_router.h"
#include "cluster/gateway/key_move.h"
#include "cluster/gateway/locked_rows_limit.h"
#include "cluster/gateway/sharded_kv.h"
#include "common/error.h"
#include "executor/background_free.h"
#include "executor/statement_poll.h"
#include "executor/table_store.h"
#include "planner/fragment_codec.h"

namespace tessera::cluster {

using executor::IsolationLevel;

namespace {

class ClusterFragments final : public executor::FragmentExecutor {
 public:
  ClusterFragments(ClusterTxn& txn, executor::FragmentServices services) : txn_(txn), services_(std::move(services)) {}
  planner::FragmentResult Execute(const planner::FragmentRequest& request) override {
    return txn_.RunFragment(request, services_);
  }

 private:
  ClusterTxn& txn_;
  executor::FragmentServices services_;
};

}  // namespace

ClusterTxn::ClusterTxn(ClusterBackend& backend, const storage::mvcc::TxnOptions& options)
    : backend_(backend), options_(options), name_(backend.NextTxnName()) {
  numeric_id_ = std::hash<std::string>{}(name_);
}

ClusterTxn::~ClusterTxn() {
  if (!open_) return;
  try {
    Rollback();
  } catch (const std::exception& e) {
    spdlog::warn("rollback of {} failed: {}", name_, e.what());
  }
}

void ClusterTxn::RefreshSnapshot() {
  ++statement_;
  statement_snapshot_ = 0;
  statement_started_ = std::chrono::steady_clock::now();
}

uint64_t ClusterTxn::StatementSnapshot() {
  if (options_.isolation == IsolationLevel::kRepeatableRead) {
    if (txn_snapshot_ == 0) txn_snapshot_ = backend_.Tso().Next();
    return txn_snapshot_;
  }
  if (statement_snapshot_ == 0) statement_snapshot_ = backend_.Tso().Next();
  return statement_snapshot_;
}

TxnHeader ClusterTxn::Header(bool participant, bool single_target) {
  TxnHeader header;
  header.txn_id = participant ? name_ : std::string();
  header.isolation = static_cast<uint8_t>(options_.isolation);
  header.lock_timeout_ms = options_.lock_timeout ? options_.lock_timeout->count() : 0;
  header.statement = statement_;
  header.keep_undo = keep_undo_;
  // A READ COMMITTED statement confined to one node reads at its latest,
  // unless a commit this gateway acknowledged may still be landing on a
  // secondary: at the node's latest the read would miss it (a client's
  // INSERT over several groups, then its SELECT of one row).
  bool node_latest = options_.isolation == IsolationLevel::kReadCommitted && single_target &&
                     statement_snapshot_ == 0 && !backend_.SecondariesInFlight();
  header.snapshot_ts = node_latest ? 0 : StatementSnapshot();
  return header;
}

std::chrono::milliseconds ClusterTxn::CallTimeout(uint16_t method, std::chrono::milliseconds extra) const {
  std::chrono::milliseconds timeout = backend_.Options().node_timeout + extra;
  if (method != kExecute && method != kKv) return timeout;
  // A statement's work on nodes shares one budget, so time spent first (an
  // oracle failover, another node) does not add to the wait for a dead node.
  auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                     statement_started_);
  // Never below what a busy node needs to send its first heartbeat (heartbeats.h).
  return std::max(timeout - spent, std::chrono::milliseconds(2500));
}

std::string ClusterTxn::Call(int group, uint16_t method, const std::string& payload,
                             std::chrono::milliseconds extra) {
  transport::CallOptions options;
  options.timeout = CallTimeout(method, extra);
  options.cancel = cancel_;
  std::string address = backend_.Nodes().Address(group);
  options.replaced = ReplacedCheck(group, address);
  return backend_.Rpc().Call(address, method, payload, options);
}

std::vector<std::string> ClusterTxn::CallAll(const std::vector<int>& groups, uint16_t method,
                                             const std::vector<std::string>& payloads,
                                             std::chrono::milliseconds extra) {
  if (groups.size() == 1) return {Call(groups[0], method, payloads[0], extra)};
  std::vector<Outcome> outcomes = CallEach(groups, method, payloads, extra);
  std::vector<std::string> replies;
  for (auto& outcome : outcomes) {
    if (outcome.error) std::rethrow_exception(outcome.error);
    replies.push_back(std::move(outcome.reply));
  }
  return replies;
}

std::vector<ClusterTxn::Outcome> ClusterTxn::CallEach(const std::vector<int>& groups, uint16_t method,
                                                      const std::vector<std::string>& payloads,
                                                      std::chrono::milliseconds extra) {
  std::vector<Outcome> outcomes(groups.size());
  if (groups.size() == 1) {
    try {
      outcomes[0].reply = Call(groups[0], method, payloads[0], extra);
    } catch (...) {
      outcomes[0].error = std::current_exception();
    }
    return outcomes;
  }
  transport::CallOptions options;
  options.timeout = CallTimeout(method, extra);
  options.cancel = cancel_;
  std::vector<std::shared_ptr<transport::RpcClient::Pending>> pending;
  for (size_t i = 0; i < groups.size(); ++i) {
    try {
      std::string address = backend_.Nodes().Address(groups[i]);
      options.replaced = ReplacedCheck(groups[i], address);
      pending.push_back(backend_.Rpc().Start(address, method, payloads[i], options));
    } catch (...) {
      outcomes[i].error = std::current_exception();
      pending.push_back(nullptr);
    }
  }
  // Wait for every answer, even after a failure, so no call outlives this.
  for (size_t i = 0; i < pending.size(); ++i) {
    if (!pending[i]) continue;
    try {
      outcomes[i].reply = pending[i]->Wait();
    } catch (...) {
      outcomes[i].error = std::current_exception();
    }
  }
  return outcomes;
}

void ClusterTxn::MarkParticipant(int group, bool wrote, int64_t writes) {
  Part& part = participants_[group];
  part.wrote = part.wrote || wrote;
  part.writes += writes;
}

std::chrono::milliseconds ClusterTxn::CommitAllowance(const std::vector<int>& groups) const {
  int64_t most = 0;
  for (int g : groups)
    if (auto it = participants_.find(g); it != participants_.end()) most = std::max(most, it->second.writes);
  return std::chrono::milliseconds(most / 50);  // 20 µs a row, generously
}

planner::FragmentResult ClusterTxn::RunFragment(const planner::FragmentRequest& request,
                                                const executor::FragmentServices& services) {
  if (!open_) throw SqlError(sqlstate::kInternalError, "transaction is already finished");
  cancel_ = services.cancel;
  planner::EvalContext ctx = executor::FragmentEvalContext(request, services);
  const planner::FragmentRequest* to_route = &request;
  planner::FragmentRequest adjusted;
  const planner::Fragment& fragment = *request.fragment;
  if (UpdateMovesRows(fragment)) return MoveUpdatedRows(*this, request, services);
  if (fragment.kind == planner::FragmentKind::kInsert &&
      (HasUniqueIndex(fragment.table) || fragment.table.HasHiddenRowId())) {
    adjusted = request;
    if (HasUniqueIndex(fragment.table)) adjusted.rows = CheckUniqueAcrossShards(request);
    if (fragment.table.HasHiddenRowId()) {
      adjusted.row_ids.clear();
      for (size_t i = 0; i < adjusted.rows.size(); ++i) adjusted.row_ids.push_back(backend_.NextRowId(fragment.table.table_id));
    }
    to_route = &adjusted;
  }
  std::vector<RoutedRequest> routed = RouteFragment(*to_route, backend_.Map(), ctx);
  if (routed.empty()) return {};
  // Shards return rows in key order; merging keeps that order across them,
  // so a scan reads like one table (PostgreSQL users rely on it more than
  // they should, and tests compare outputs).
  bool merge_by_key = routed.size() > 1 && fragment.kind == planner::FragmentKind::kScan &&
                      fragment.aggregates.empty() && fragment.group_by.empty() && fragment.top_n.empty() &&
                      fragment.scan.index_id == 0;
  // A fanned-out FOR UPDATE with a LIMIT: the rows locked beyond it are
  // unlocked again (locked_rows_limit.h), which needs their keys.
  bool trim_locks = fragment.lock_rows && fragment.limit >= 0 && routed.size() > 1;
  if (merge_by_key || trim_locks)
    for (auto& r : routed) r.request.want_row_keys = true;
  bool single = routed.size() == 1 && services.statement_fragments == 1;
  // A locking scan (SELECT ... FOR UPDATE) leaves its row locks on the
  // node: a participant, released at commit or abort like a writer's.
  bool writes = request.fragment->kind != planner::FragmentKind::kScan || fragment.lock_rows;

  std::vector<int> groups;
  std::vector<std::string> payloads;
  std::vector<Resend> resend;
  std::vector<ExecuteRequest> quick;  // sent as quick: kept to resend as not quick
  for (auto& r : routed) {
    // Reads where this transaction wrote nothing need no participant.
    bool had_state = participants_.count(r.group) != 0;
    bool participant = writes || had_state;
    resend.push_back(!participant ? Resend::kAfterAnyConnectionFailure
                     : had_state  ? Resend::kNever
                                  : Resend::kIfNotStarted);
    ExecuteRequest execute;
    execute.txn = Header(participant, single);
    execute.fragment_request = planner::EncodeFragmentRequest(r.request);
    if (services.functions.format) execute.format = *services.functions.format;
    execute.statement_timestamp = services.functions.statement_timestamp;
    execute.transaction_timestamp = services.functions.transaction_timestamp;
    execute.quick = !participant && fragment.scan.kind == planner::ScanKind::kPoint && !writes;
    if (services.deadline_ns != 0)  // at least 1 ms: 0 would mean "no timeout"
      execute.time_left_ms = std::max<int64_t>(1, (services.deadline_ns - executor::StatementPoll::NowNs()) / 1000000);
    if (services.memory) execute.memory_limit = services.memory->Limit();
    groups.push_back(r.group);
    payloads.push_back(Encode(execute));
    if (execute.quick) quick.push_back(std::move(execute));
    if (participant) MarkParticipant(r.group, false);
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> replies;
  executor::StatementPoll statement_poll{services.cancel, services.deadline_ns};
  try {
    replies = CallThroughFailover(groups, kExecute, payloads, resend, statement_poll);
  } catch (const SqlError& e) {
    // A quick lookup answered on the node's I/O thread found its key held
    // by a transaction prepared there, and must not wait on that thread:
    // again, on a worker.
    if (e.Sqlstate() != storage::mvcc::kGateBusy || quick.size() != groups.size()) throw;
    for (size_t i = 0; i < quick.size(); ++i) {
      quick[i].quick = false;
      payloads[i] = Encode(quick[i]);
    }
    replies = CallThroughFailover(groups, kExecute, payloads, resend, statement_poll);
  }
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  // Decoding and merging a million rows takes a while: a cancel or the
  // statement's deadline is checked between parts and per merged row, and
  // on the way out the rows are freed in the background (background_free.h).
  executor::StatementPoll poll{services.cancel, services.deadline_ns};
  auto parts = std::make_unique<std::vector<planner::FragmentResult>>();
  try {
    for (size_t i = 0; i < replies.size(); ++i) {
      if (DecodeReply(replies[i], parts.get(), &poll)) MarkParticipant(groups[i], true, parts->back().affected);
      // The calls run in parallel: each group is charged the whole wait.
      if (services.stats)
        services.stats->runs[request.fragment.get()].push_back(
            {groups[i], parts->back().rows.size(), parts->back().affected, micros.count()});
      replies[i] = std::string();
      poll.Check();
    }
    if (trim_locks) UnlockBeyondLimit(fragment, ctx, merge_by_key, groups, *parts);
    return merge_by_key ? MergeByKey(*parts, &poll) : Concatenate(std::move(*parts));
  } catch (...) {
    executor::FreeInBackground(std::move(parts));
    throw;
  }
}

void ClusterTxn::UnlockBeyondLimit(const planner::Fragment& fragment, const planner::EvalContext& ctx,
                                   bool merge_by_key, const std::vector<int>& groups,
                                   std::vector<planner::FragmentResult>& parts) {
  std::vector<std::vector<std::string>> surplus = KeepLockedRowsWithinLimit(fragment, ctx, merge_by_key, parts);
  std::vector<int> targets;
  std::vector<std::string> payloads;
  for (size_t i = 0; i < surplus.size(); ++i) {
    if (surplus[i].empty()) continue;
    TxnRequest request;
    request.txn_id = name_;
    request.table_id = fragment.table.table_id;
    request.row_keys = std::move(surplus[i]);
    targets.push_back(groups[i]);
    payloads.push_back(Encode(request));
  }
  if (!targets.empty()) CallAll(targets, kUnlockRows, payloads);
}

// Decodes one node's reply into `parts`; true when the node now has writes.
bool ClusterTxn::DecodeReply(const std::string& reply, std::vector<planner::FragmentResult>* parts,
                             executor::StatementPoll* poll) {
  ExecuteResponse response = Decode<ExecuteResponse>(reply);
  parts->push_back(planner::DecodeFragmentResult(response.fragment_result, [poll] { poll->Tick(); }));
  return response.wrote;
}

planner::FragmentResult ClusterTxn::Concatenate(std::vector<planner::FragmentResult> parts) {
  planner::FragmentResult merged;
  for (auto& part : parts) {
    merged.affected += part.affected;
    if (merged.rows.empty()) {
      merged.rows = std::move(part.rows);
    } else {
      merged.rows.insert(merged.rows.end(), std::make_move_iterator(part.rows.begin()),
                         std::make_move_iterator(part.rows.end()));
    }
  }
  return merged;
}

// A k-way merge of the shards' rows by their key suffixes (each shard's are
// ascending, and a key lives on one shard only).
planner::FragmentResult ClusterTxn::MergeByKey(std::vector<planner::FragmentResult>& parts,
                                               executor::StatementPoll* poll) {
  planner::FragmentResult merged;
  std::vector<size_t> pos(parts.size(), 0);
  for (auto& part : parts) {
    merged.affected += part.affected;
    if (part.row_keys.size() != part.rows.size()) return Concatenate(std::move(parts));
  }
  while (true) {
    if (poll) poll->Tick();
    int best = -1;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (pos[i] >= parts[i].rows.size()) continue;
      if (best < 0 || parts[i].row_keys[pos[i]] < parts[static_cast<size_t>(best)].row_keys[pos[static_cast<size_t>(best)]])
        best = static_cast<int>(i);
    }
    if (best < 0) break;
    auto b = static_cast<size_t>(best);
    merged.rows.push_back(std::move(parts[b].rows[pos[b]++]));
  }
  return merged;
}

bool ClusterTxn::HasUniqueIndex(const planner::TableLayout& table) {
  for (auto& index : table.indexes)
    if (index.unique) return true;
  return false;
}

// Each shard checks unique indexes against its own rows only, so before an
// insert the gateway looks for each row's unique values on every shard (and
// among the statement's own rows). Two transactions inserting the same value
// on different shards at the same moment can both pass: closing that needs
// global indexes (ARCHITECTURE.md, departures).
std::vector<Row> ClusterTxn::CheckUniqueAcrossShards(const planner::FragmentRequest& request) {
  const planner::Fragment& f = *request.fragment;
  executor::TableStore store(f.table, Kv());
  std::set<std::string> seen;
  std::vector<Row> kept;
  executor::ConflictSkip skip = executor::ConflictSkip::Of(f);
  std::set<std::string> keys;  // DO UPDATE: a key proposed twice is 21000 before any other check
  for (const Row& row : request.rows) {
    std::string suffix = f.table.HasHiddenRowId() ? std::string() : executor::PrimaryKeySuffixOf(f.table, row);
    if (f.on_conflict_do_update && !keys.insert(suffix).second) throw executor::AffectsRowTwice();
    bool ok = true;
    for (auto& index : f.table.indexes) {
      if (!index.unique) continue;
      bool has_null = false;
      std::string prefix = store.IndexPrefix(index, row, &has_null);
      if (has_null || seen.insert(prefix).second) continue;
      if (!skip.Skips(index.id)) throw store.UniqueViolation(index.name, index.columns, row);
      ok = false;
    }
    ok = ok && store.CheckUniqueIndexes(row, suffix, skip);
    if (ok) kept.push_back(row);
  }
  return kept;
}

std::unique_ptr<executor::FragmentExecutor> ClusterTxn::Fragments(const executor::FragmentServices& services) {
  return std::make_unique<ClusterFragments>(*this, services);
}

storage::Transaction& ClusterTxn::Kv() {
  if (!kv_) kv_ = std::make_unique<ShardedKv>(*this);
  return *kv_;
}

void ClusterTxn::ReleaseAll(const std::vector<int>& groups) {
  if (groups.empty()) return;
  TxnRequest release;
  release.txn_id = name_;
  std::string payload = Encode(release);
  transport::CallOptions options;
  options.timeout = backend_.Options().node_timeout;
  // One call per group, each on its own: a node that cannot be reached now
  // is released later by the backend, the others at once.
  std::vector<std::pair<int, std::shared_ptr<transport::RpcClient::Pending>>> pending;
  for (int group : groups) {
    try {
      pending.emplace_back(group, backend_.Rpc().Start(backend_.Nodes().Address(group), kRollback, payload, options));
    } catch (const std::exception&) {
      backend_.DeferRelease(group, name_);
    }
  }
  for (auto& [group, call] : pending) {
    try {
      call->Wait();
    } catch (const std::exception& e) {
      spdlog::warn("releasing {} on group {} failed ({}); retrying in the background", name_, group, e.what());
      backend_.DeferRelease(group, name_);
    }
  }
}

void ClusterTxn::Finish() {
  open_ = false;
  cancel_ = nullptr;  // commit and rollback run to the end
  kv_.reset();
}

void ClusterTxn::Commit() {
  if (!open_) return;
  std::vector<int> writers, readers;
  for (auto& [group, part] : participants_) (part.wrote ? writers : readers).push_back(group);
  Finish();
  if (writers.empty()) {
    ReleaseAll(readers);
    return;
  }
  TxnRequest request;
  request.txn_id = name_;
  if (writers.size() == 1) {
    try {
      Call(writers[0], kCommit, Encode(request), CommitAllowance(writers));  // one phase: the node takes the timestamp
    } catch (...) {
      ReleaseAll(readers);
      throw;
    }
    ReleaseAll(readers);
    return;
  }
  // Two phase. The first writer is the primary: its record decides.
  request.coordinator = std::to_string(writers[0]);
  try {
    CallAll(writers, kPrepare, std::vector<std::string>(writers.size(), Encode(request)), CommitAllowance(writers));
  } catch (...) {
    std::vector<int> all = writers;
    all.insert(all.end(), readers.begin(), readers.end());
    ReleaseAll(all);
    throw;
  }
  ReleaseAll(readers);
  uint64_t commit_ts = 0;
  try {
    commit_ts = backend_.Tso().Next();
  } catch (...) {
    ReleaseAll(writers);
    throw;
  }
  request.commit_ts = commit_ts;
  request.write_record = true;
  Call(writers[0], kCommit, Encode(request), CommitAllowance(writers));  // the decision; errors reach the client
  // Committed: the client may hear so now. The others follow in the
  // background (Percolator's asynchronous secondaries). Nobody can see the
  // transaction half done meanwhile: a secondary stays prepared and locked
  // until its commit lands, and a read of its keys on that node waits for
  // it (the MVCC engine's prepare gate). One we cannot reach is rolled
  // forward by its cleaner from the primary's record.
  request.write_record = false;
  transport::CallOptions options;
  options.timeout = backend_.Options().node_timeout + CommitAllowance(writers);
  std::string payload = Encode(request);
  for (auto it = writers.begin() + 1; it != writers.end(); ++it) {
    try {
      backend_.FinishInBackground(
          name_, *it, backend_.Rpc().Start(backend_.Nodes().Address(*it), kCommit, payload, options));
    } catch (const std::exception& e) {
      spdlog::warn("transaction {} committed; group {} will learn it from its cleaner ({})", name_, *it, e.what());
    }
  }
}

uint64_t ClusterTxn::Savepoint() {
  if (!open_) throw SqlError(sqlstate::kInternalError, "transaction is already finished");
  keep_undo_ = true;
  uint64_t mark = statement_;
  // Every later request carries a higher number, whatever statement sends it.
  RefreshSnapshot();
  return mark;
}

void ClusterTxn::RollbackTo(uint64_t mark) {
  if (!open_) throw SqlError(sqlstate::kInternalError, "transaction is already finished");
  std::vector<int> groups;
  for (auto& [group, part] : participants_) groups.push_back(group);
  if (!groups.empty()) {
    TxnRequest request;
    request.txn_id = name_;
    request.after_statement = mark;
    CallAll(groups, kRollbackTo, std::vector<std::string>(groups.size(), Encode(request)));
  }
  RefreshSnapshot();
}

void ClusterTxn::Rollback() {
  if (!open_) return;
  std::vector<int> groups;
  for (auto& [group, part] : participants_) groups.push_back(group);
  Finish();
  ReleaseAll(groups);
}

}  // namespace tessera::cluster
