#include "cluster/storage_node/storage_node.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "cluster/common/etcd_keys.h"
#include "cluster/replication/node_identity.h"
#include "cluster/transport/transport_errors.h"
#include "common/error.h"
#include "common/memory_account.h"
#include "executor/background_free.h"
#include "executor/fragment_runner.h"
#include "executor/statement_poll.h"
#include "planner/fragment_codec.h"
#include "storage/mvcc/mvcc_transaction.h"

namespace tessera::cluster {

using storage::mvcc::IsolationLevel;
using storage::mvcc::MvccTransaction;
using Clock = std::chrono::steady_clock;

namespace {


// Lock waits across nodes cannot be checked for deadlocks by one node's lock
// manager, so a cluster never waits forever: lock_timeout = 0 means this.
constexpr std::chrono::milliseconds kLongestLockWait{10000};

std::pair<std::string, uint16_t> SplitAddress(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("address must be host:port: " + address);
  return {address.substr(0, colon), static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))};
}

storage::mvcc::TxnOptions OptionsOf(const TxnHeader& header) {
  storage::mvcc::TxnOptions options;
  options.isolation = static_cast<IsolationLevel>(header.isolation);
  options.lock_timeout =
      header.lock_timeout_ms > 0 ? std::chrono::milliseconds(header.lock_timeout_ms) : kLongestLockWait;
  return options;
}

SqlError NotActive(const std::string& txn_id) {
  return SqlError(sqlstate::kSerializationFailure,
                  "transaction " + txn_id + " is no longer active on this storage node");
}

}  // namespace

StorageNode::StorageNode(StorageNodeOptions options) : options_(std::move(options)), address_(options_.listen) {}

StorageNode::~StorageNode() {
  // Stop taking requests before the engine goes; participants roll back as
  // their transactions are destroyed (prepared ones stay durable).
  if (server_) server_->Stop();
  if (replicator_) {
    replicator_->Stop();
    engine_->Committer().SetDurabilityBarrier({});
    replicator_.reset();
  }
  tso_.reset();
  tso_service_.reset();
  directory_.reset();
  lease_.reset();
  for (auto& [id, p] : participants_.All()) participants_.Remove(id);
}

void StorageNode::Run(const std::atomic<bool>& stop) {
  node_id_ = replication::LoadOrCreateNodeId(options_.data_dir);
  etcd_ = std::make_unique<etcd::Client>(options_.etcd);
  spdlog::info("storage node {} for group {} waiting for etcd at {}", node_id_, options_.group, options_.etcd);
  while (!stop && !etcd_->WaitUntilReady(std::chrono::seconds(1))) {
  }
  if (stop) return;
  // The role decides how the engine opens: a backup must write nothing of
  // its own (no GC, no cleaner), or its LMDB would drift from the primary's.
  role_ = replication::ClaimGroupRole(*etcd_, options_.group, node_id_, options_.listen);
  primary_ = role_.role == replication::Role::kPrimary;
  if (IsPrimary()) {
    spdlog::info("node {} is the primary of group {} (epoch {})", node_id_, options_.group, role_.primary.epoch);
  } else {
    spdlog::info("node {} is a backup of group {}: its primary is node {} at {} (epoch {}); it serves no gateway",
                 node_id_, options_.group, role_.primary.node, role_.primary.address, role_.primary.epoch);
  }

  if (!IsPrimary()) {
    accepted_epoch_ = role_.primary.epoch;
    accepted_primary_ = role_.primary.node;
  }
  OpenEngine(IsPrimary());

  auto [host, port] = SplitAddress(options_.listen);
  server_ = std::make_unique<transport::RpcServer>(host, port, 2, options_.workers, options_.link_tls);
  // The port opens before the oracle client and the rest exist, and a node
  // restarted on its old address gets requests at once (gateways still hold
  // its previous registration): until ready_, every request is refused.
  auto when_ready = [this](auto handler) {
    return [this, handler](std::string_view p, transport::ResponseStream& s) {
      if (!ready_) throw transport::NotServing("storage node " + options_.listen + " is still starting");
      return handler(p, s);
    };
  };
  server_->Register(kExecute, when_ready([this](std::string_view p, transport::ResponseStream& s) { return HandleExecute(p, s); }));
  server_->Register(kKv, when_ready([this](std::string_view p, transport::ResponseStream& s) { return HandleKv(p, s); }));
  server_->Register(kPrepare, when_ready([this](std::string_view p, transport::ResponseStream& s) { return HandlePrepare(p, s); }));
  server_->Register(kCommit, when_ready([this](std::string_view p, transport::ResponseStream& s) { return HandleCommit(p, s); }));
  server_->Register(kRollback, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleRollback(p); }));
  server_->Register(kRollbackTo, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleRollbackTo(p); }));
  server_->Register(kUnlockRows, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleUnlockRows(p); }));
  server_->Register(kTxnStatus, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleTxnStatus(p); }));
  server_->Register(kTimestamps, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleTimestamps(p); }));
  server_->Register(kPing, when_ready([this](std::string_view, transport::ResponseStream&) { return HandlePing(); }));
  server_->Register(kWaitEdges, when_ready([this](std::string_view, transport::ResponseStream&) { return HandleWaitEdges(); }));
  server_->Register(kBreakWait, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleBreakWait(p); }));
  server_->Register(kReplicate, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleReplicate(p); }));
  server_->Register(kChecksum, when_ready([this](std::string_view, transport::ResponseStream&) { return HandleChecksum(); }));
  server_->Register(kHandOver, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleHandOver(p); }));
  server_->Register(kTakeOver, when_ready([this](std::string_view p, transport::ResponseStream&) { return HandleTakeOver(p); }));
  // Workers may all be parked in lock waits: the detector's questions must
  // not queue behind them (both answers are quick and never wait).
  server_->RunInline(kWaitEdges, [](std::string_view) { return true; });
  server_->RunInline(kBreakWait, [](std::string_view) { return true; });
  // A point lookup outside any transaction is quick enough to answer on
  // the I/O thread: that skips two thread switches per lookup. Only a
  // prepared write of its very key could make it wait (the prepare gate is
  // per key); then it fails with kGateBusy and the gateway sends it again.
  server_->RunInline(kExecute, [this](std::string_view payload) {
    if (!ready_ || !IsPrimary()) return false;
    try {
      ExecuteRequest request = Decode<ExecuteRequest>(payload);
      return request.quick && request.txn.txn_id.empty() && !request.commit_now;
    } catch (const SqlError&) {
      return false;  // the handler reports it
    }
  });
  server_->OnDisconnect([this](uint64_t connection) { OnDisconnect(connection); });
  server_->Start();
  address_ = host + ":" + std::to_string(server_->Port());
  if (IsPrimary()) StartReplicator();

  rpc_ = std::make_unique<transport::RpcClient>(1, options_.link_tls);
  tso_service_ = std::make_unique<TsoService>(*etcd_, address_, [this] { return OracleStandingNow(); });
  tso_ = std::make_unique<TsoClient>(*etcd_, *rpc_, [this](uint32_t n) { return tso_service_->Allocate(n); });
  directory_ = std::make_unique<NodeDirectory>(*etcd_);
  deadlocks_ = std::make_unique<DeadlockDetector>(*directory_, *rpc_);
  if (IsPrimary()) AwaitLease(stop);
  ready_ = true;
  Register();
  if (IsPrimary()) try {
    // Until the first sample ages, keep everything from now on: no
    // transaction begun after this node came up can need older versions
    // it does not already see.
    engine_->SetGcSafePoint(tso_->Next());
  } catch (const SqlError& e) {
    spdlog::warn("no timestamp oracle yet ({}); the GC keeps local state only", e.what());
  }
  spdlog::info("storage node for group {} serving on {} (data {})", options_.group, address_, options_.data_dir);
  CleanerLoop(stop);
}

void StorageNode::OpenEngine(bool primary) {
  storage::mvcc::MvccOptions engine_options;
  engine_options.engine.sync = options_.sync_commits;
  engine_options.external_timestamps = true;
  engine_options.replication_log = true;
  if (!primary) {
    // A backup must write nothing of its own (no GC, no cleaner), or its
    // LMDB would drift from the primary's.
    engine_options.follower = true;
    engine_options.gc_interval = std::chrono::milliseconds(0);
  }
  engine_ = storage::mvcc::MvccEngine::Open(options_.data_dir, engine_options);
  for (auto& txn : engine_->RecoverPrepared()) {
    if (!primary) continue;  // a backup settles nothing: its primary does
    auto p = std::make_shared<Participant>();
    std::string id = txn->ExternalId();
    p->coordinator = txn->Coordinator();
    p->prepared = true;
    p->snapshot = txn->SnapshotTs();
    p->txn = std::move(txn);
    p->lock_id = p->txn->Id();
    participants_.Add(id, p);
    spdlog::info("recovered prepared transaction {} (coordinator group {})", id, p->coordinator);
  }
}

void StorageNode::Register() {
  lease_ = std::make_unique<etcd::KeptLease>(*etcd_, 3);
  std::string replica = replication::ReplicaRegistration(address_, role_.role, role_.primary.epoch);
  if (!IsPrimary()) {
    etcd_->Put(keys::GroupReplica(options_.group, node_id_), replica, lease_->Id());
    return;
  }
  // The routing key only while the primary record is still ours: a node
  // that lost its authority must never send gateways to itself again.
  nlohmann::json routing = nlohmann::json::parse(NodeRegistration(options_.group, address_));
  routing["node"] = node_id_;
  routing["epoch"] = role_.primary.epoch;
  auto result = etcd_->Txn(
      {etcd::Compare::Value(keys::GroupPrimary(options_.group), etcd::Compare::Result::kEqual, role_.record_json)},
      {etcd::Op::Put(keys::Node(options_.group), routing.dump(), lease_->Id()),
       etcd::Op::Put(keys::GroupReplica(options_.group, node_id_), replica, lease_->Id())},
      {});
  if (!result.succeeded)
    throw SqlError("08006", "node " + node_id_ + " is no longer the primary of shard group " +
                                std::to_string(options_.group) + " (epoch " + std::to_string(role_.primary.epoch) + ")");
}

// Group 0's primary campaigns for the timestamp oracle while it holds the
// group's lease (tso_service.h). primary_ is set only after the replicator
// exists, so replicator_ is read only once it is.
OracleStanding StorageNode::OracleStandingNow() {
  OracleStanding me;
  if (options_.group != 0 || !IsPrimary()) return me;
  me.group0_primary = true;
  {
    std::lock_guard lock(role_mutex_);
    me.epoch = role_.primary.epoch;
  }
  me.lease = !handed_over_ && replicator_->HoldsLease();
  return me;
}

void StorageNode::RequirePrimary() {
  if (handed_over_)
    throw transport::NotServing("storage node " + address_ + " has handed shard group " +
                                std::to_string(options_.group) + " over to another replica");
  if (IsPrimary()) {
    if (replicator_->HoldsLease()) return;
    throw transport::NotServing("storage node " + address_ + " has lost its lease as primary of shard group " +
                                std::to_string(options_.group) + " (its backups stopped answering)");
  }
  std::string primary;
  {
    std::lock_guard lock(role_mutex_);
    primary = role_.primary.address;
  }
  throw transport::NotServing("storage node " + address_ + " is a backup of shard group " + std::to_string(options_.group) +
                              " and serves no reads or writes (its primary is " + primary + ")");
}

// The lease is checked on arrival (RequirePrimary) and again once a read is
// done: its snapshot was taken before this second check, so if the lease
// still holds no successor can have acknowledged a write the read misses (a
// backup takes over only after the lease has run out). A primary stalled
// between the two (descheduled, or stopped by SIGSTOP) would otherwise
// return a result that may be stale. Writes need no such check: their
// commit waits for the in-sync backups, which refuse a deposed primary.
void StorageNode::ConfirmLeaseAfterRead() {
  if (IsPrimary() && !handed_over_ && replicator_->HoldsLease()) return;
  throw SqlError(transport::kConnectionFailure,
                 "storage node " + address_ + " lost its lease as primary of shard group " +
                     std::to_string(options_.group) + " while it read; the result may be stale and was not sent");
}

void StorageNode::CleanerLoop(const std::atomic<bool>& stop) {
  // A backup looks for a silent primary every 50 ms (a failover should not
  // wait for the rest of the cleaner's round); the rest runs every 200 ms.
  for (uint64_t tick = 1; !stop; ++tick) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      if (!IsPrimary()) MaybePromote();
    } catch (const std::exception& e) {
      spdlog::warn("cleaner: {}", e.what());
    }
    if (tick % 4 != 0) continue;
    const uint64_t round = tick / 4;
    try {
      if (lease_->Lost()) {
        spdlog::warn("lost the etcd lease of this node; registering again");
        Register();
      }
      if (IsPrimary()) {
        SettlePrepared();
        AdvanceGcSafePoint();
      } else {
        if (round % 25 == 0) {
          // A backup keeps as much of the log as its primary does.
          uint64_t last = engine_->Log()->LastPosition();
          if (last > kRetainedLogRecords) engine_->TrimReplicationLog(last - kRetainedLogRecords);
        }
      }
      if (round % 5 == 0 && tso_service_->IsLeader()) deadlocks_->RunOnce();
    } catch (const std::exception& e) {
      spdlog::warn("cleaner: {}", e.what());
    }
  }
}

// --- fragments and key-value work ----------------------------------------------

ParticipantRef StorageNode::Join(const TxnHeader& header, uint64_t connection) {
  if (ParticipantRef known = participants_.Find(header.txn_id)) return known;
  Admission admitted(*this);  // a new transaction: not while the group is being handed over
  ParticipantRef p = participants_.FindOrAdd(header.txn_id, [&] {
    auto fresh = std::make_shared<Participant>();
    fresh->txn = engine_->BeginAt(OptionsOf(header), header.snapshot_ts);
    fresh->lock_id = fresh->txn->Id();
    fresh->snapshot = fresh->txn->SnapshotTs();
    fresh->statement = header.statement;
    fresh->connection = connection;
    return fresh;
  });
  if (!p) throw NotActive(header.txn_id);
  return p;
}

// READ COMMITTED: each new statement reads at its own snapshot (the one the
// gateway sent, or this node's latest).
void StorageNode::BeginStatement(Participant& p, const TxnHeader& header) {
  if (header.statement == p.statement) return;
  p.statement = header.statement;
  if (p.txn->Isolation() == IsolationLevel::kReadCommitted) {
    p.txn->RefreshSnapshotAt(header.snapshot_ts);
    p.snapshot = p.txn->SnapshotTs();
  }
}

namespace {

// A read's rows are encoded polling the gateway's cancel and the
// statement's deadline: a third of a million rows takes 0.2 to 1.5 s to
// encode on a busy 2-core machine, which a statement_timeout would
// otherwise overrun by as much. Rows left by a stopped encoding are freed
// in the background, as a stopped scan's are.
std::string EncodeResult(planner::FragmentResult& result, const executor::FragmentServices& services,
                         bool may_stop) {
  if (!may_stop) return planner::EncodeFragmentResult(result);
  executor::StatementPoll poll{services.cancel, services.deadline_ns};
  try {
    return planner::EncodeFragmentResult(result, [&poll] { poll.Tick(); });
  } catch (...) {
    constexpr size_t kManyRows = 100000;  // about when freeing inline costs more than a thread
    if (result.rows.size() >= kManyRows)
      executor::FreeInBackground(std::make_unique<planner::FragmentResult>(std::move(result)));
    throw;
  }
}

}  // namespace

std::string StorageNode::HandleExecute(std::string_view payload, transport::ResponseStream& stream) {
  RequirePrimary();
  Heartbeats::Guard alive(heartbeats_, stream);
  ExecuteRequest request = Decode<ExecuteRequest>(payload);
  planner::FragmentRequest fragment = planner::DecodeFragmentRequest(request.fragment_request);
  executor::FragmentServices services;
  services.allocate = [this](const std::string& counter, int64_t count) {
    return engine_->AllocateRange(counter, count);
  };
  services.next_val = [](const std::string& sequence) -> int64_t {
    throw SqlError(sqlstate::kFeatureNotSupported,
                   "nextval of \"" + sequence + "\" inside a distributed UPDATE is not supported");
  };
  services.sequence_op = [](planner::SequenceOp, const std::string& sequence, int64_t, bool) -> int64_t {
    // currval/lastval are the gateway session's, setval its catalog's.
    throw SqlError(sqlstate::kFeatureNotSupported,
                   "sequence functions (here on \"" + sequence + "\") inside a distributed UPDATE are not supported");
  };
  services.functions.format = &request.format;
  services.functions.statement_timestamp = request.statement_timestamp;
  services.functions.transaction_timestamp = request.transaction_timestamp;
  services.cancel = stream.CancelFlag();  // the gateway gave up or its client cancelled
  // The statement's deadline and memory limit reach the node: a fragment
  // stops at statement_timeout even if the gateway's cancel is late, and
  // its buffers count against this node's --memory-limit.
  if (request.time_left_ms > 0)
    services.deadline_ns = executor::StatementPoll::NowNs() + request.time_left_ms * 1000000;
  MemoryAccount memory("ExecutorState",
                       request.memory_limit > 0 ? request.memory_limit : MemoryPool::Server().Limit() / 2);
  services.memory = &memory;
  TrimWhenDone trim(memory);  // after the result below is freed

  ExecuteResponse response;
  if (request.txn.txn_id.empty()) {
    // One-shot: a single-node statement outside any transaction block.
    Admission admitted(*this);
    storage::mvcc::TxnOptions options = OptionsOf(request.txn);
    // On the I/O thread a read of a key a prepared transaction holds fails
    // (the gateway retries off this thread) rather than block the thread,
    // whose other connections may carry the very commit the gate waits for.
    options.no_gate_wait = stream.OnIoThread();
    auto txn = engine_->BeginAt(options, request.txn.snapshot_ts);
    planner::FragmentResult result = executor::RunFragment(fragment, *txn, services);
    response.snapshot_ts = txn->SnapshotTs();
    const bool wrote = txn->HasWrites();
    if (wrote) {
      if (!request.commit_now) throw SqlError(sqlstate::kInternalError, "one-shot write without commit");
      txn->Prepare("", "", false);
      txn->CommitAt(tso_->Next());
    } else {
      txn->Rollback();
      ConfirmLeaseAfterRead();
    }
    // A committed write's answer is sent whatever the deadline says.
    response.fragment_result = EncodeResult(result, services, !wrote);
    return Encode(response);
  }
  ParticipantRef p = Join(request.txn, stream.ConnectionId());
  std::lock_guard lock(p->mutex);
  if (!p->txn || p->prepared) throw NotActive(request.txn.txn_id);
  p->last_active = Clock::now();
  BeginStatement(*p, request.txn);
  MarkStatement(*p, request.txn);
  p->txn->SetLockTimeout(*OptionsOf(request.txn).lock_timeout);
  planner::FragmentResult result = executor::RunFragment(fragment, *p->txn, services);
  ConfirmLeaseAfterRead();
  const planner::Fragment& f = *fragment.fragment;
  response.fragment_result = EncodeResult(result, services, f.kind == planner::FragmentKind::kScan && !f.lock_rows);
  response.snapshot_ts = p->snapshot;
  response.wrote = p->txn->HasWrites();
  return Encode(response);
}

std::string StorageNode::HandleKv(std::string_view payload, transport::ResponseStream& stream) {
  RequirePrimary();
  Heartbeats::Guard alive(heartbeats_, stream);
  KvRequest request = Decode<KvRequest>(payload);
  ParticipantRef p = Join(request.txn, stream.ConnectionId());
  std::lock_guard lock(p->mutex);
  if (!p->txn || p->prepared) throw NotActive(request.txn.txn_id);
  p->last_active = Clock::now();
  BeginStatement(*p, request.txn);
  MarkStatement(*p, request.txn);
  KvResponse response;
  switch (request.op) {
    case KvRequest::Op::kGet:
      if (auto value = p->txn->Get(request.key)) {
        response.found = true;
        response.value = std::move(*value);
      }
      break;
    case KvRequest::Op::kPut: p->txn->Put(request.key, request.value); break;
    case KvRequest::Op::kDelete: p->txn->Delete(request.key); break;
    case KvRequest::Op::kScan:
      for (auto it = p->txn->Scan(request.key, request.end_key); it->Valid(); it->Next())
        response.pairs.emplace_back(std::string(it->Key()), std::string(it->Value()));
      break;
  }
  ConfirmLeaseAfterRead();
  return Encode(response);
}

// --- commit protocol -------------------------------------------------------------

std::string StorageNode::HandlePrepare(std::string_view payload, transport::ResponseStream& stream) {
  RequirePrimary();
  Heartbeats::Guard alive(heartbeats_, stream);
  TxnRequest request = Decode<TxnRequest>(payload);
  ParticipantRef p = participants_.Find(request.txn_id);
  if (!p) throw NotActive(request.txn_id);
  std::lock_guard lock(p->mutex);
  if (!p->txn) throw NotActive(request.txn_id);
  if (p->prepared) return {};
  try {
    p->txn->Prepare(request.txn_id, request.coordinator, true);
  } catch (...) {
    p->txn->Rollback();
    p->txn.reset();
    participants_.Remove(request.txn_id);
    throw;
  }
  p->prepared = true;
  p->coordinator = request.coordinator;
  p->last_active = Clock::now();
  return {};
}

void StorageNode::CommitPrimary(Participant& p, const std::string& txn_id, uint64_t commit_ts) {
  // The record and the data land in one LMDB transaction: that is the
  // decision. A cleaner may have decided "aborted" first; then we lose.
  std::lock_guard decide(decision_mutex_);
  if (auto record = engine_->GetTxnRecord(txn_id)) {
    TxnStatusResponse status = DecodeTxnRecord(*record);
    if (status.state == TxnStatusResponse::State::kAborted) {
      p.txn->Rollback();
      throw SqlError(sqlstate::kSerializationFailure,
                     "could not commit transaction " + txn_id + ": it was aborted after its gateway stopped answering");
    }
  }
  TxnStatusResponse committed{TxnStatusResponse::State::kCommitted, commit_ts};
  p.txn->CommitAt(commit_ts, EncodeTxnRecord(committed));
}

std::string StorageNode::HandleCommit(std::string_view payload, transport::ResponseStream& stream) {
  RequirePrimary();
  Heartbeats::Guard alive(heartbeats_, stream);
  TxnRequest request = Decode<TxnRequest>(payload);
  ParticipantRef p = participants_.Find(request.txn_id);
  if (!p) {
    // Committed already (a retry, or the cleaner was faster)?
    if (auto record = engine_->GetTxnRecord(request.txn_id);
        record && DecodeTxnRecord(*record).state == TxnStatusResponse::State::kCommitted)
      return {};
    throw NotActive(request.txn_id);
  }
  std::lock_guard lock(p->mutex);
  if (!p->txn) throw NotActive(request.txn_id);
  try {
    if (request.commit_ts == 0) {
      // One phase: this node is the only writer.
      if (!p->prepared) p->txn->Prepare(request.txn_id, "", false);
      p->txn->CommitAt(tso_->Next());
    } else if (request.write_record) {
      CommitPrimary(*p, request.txn_id, request.commit_ts);
    } else {
      p->txn->CommitAt(request.commit_ts);
    }
  } catch (...) {
    p->txn.reset();
    participants_.Remove(request.txn_id);
    throw;
  }
  p->txn.reset();
  participants_.Remove(request.txn_id);
  return {};
}

std::string StorageNode::HandleRollback(std::string_view payload) {
  RequirePrimary();
  TxnRequest request = Decode<TxnRequest>(payload);
  ParticipantRef p = participants_.Find(request.txn_id);
  if (!p) {
    participants_.Remove(request.txn_id);  // remembered: a late request must not begin it
    return {};
  }
  std::lock_guard lock(p->mutex);
  if (p->txn) p->txn->Rollback();
  p->txn.reset();
  participants_.Remove(request.txn_id);
  return {};
}

TxnStatusResponse StorageNode::Decide(const std::string& txn_id) {
  std::lock_guard decide(decision_mutex_);
  if (auto record = engine_->GetTxnRecord(txn_id)) return DecodeTxnRecord(*record);
  ParticipantRef p = participants_.Find(txn_id);
  if (p) {
    std::unique_lock lock(p->mutex, std::try_to_lock);
    // Busy (mid-commit) or recently active: its gateway may still commit it.
    if (!lock.owns_lock() || Clock::now() - p->last_active < options_.settle_after) return {};
    // A participant with an owner connection that is still open is only
    // settled once it is prepared and stale; unprepared ones belong to a
    // gateway that is still deciding.
    if (!p->prepared && p->connection != 0) return {};
  }
  TxnStatusResponse aborted{TxnStatusResponse::State::kAborted, 0};
  TxnStatusResponse stored = DecodeTxnRecord(engine_->PutTxnRecordIfAbsent(txn_id, EncodeTxnRecord(aborted)));
  if (p && stored.state == TxnStatusResponse::State::kAborted) {
    std::lock_guard lock(p->mutex);
    if (p->txn) p->txn->Rollback();
    p->txn.reset();
    participants_.Remove(txn_id);
  }
  return stored;
}

std::string StorageNode::HandleTxnStatus(std::string_view payload) {
  RequirePrimary();
  return Encode(Decide(Decode<TxnRequest>(payload).txn_id));
}

void StorageNode::SettlePrepared() {
  for (auto& [id, p] : participants_.All()) {
    TxnStatusResponse status;
    {
      std::unique_lock lock(p->mutex, std::try_to_lock);
      if (!lock.owns_lock() || !p->prepared || !p->txn) continue;
      if (Clock::now() - p->last_active < options_.settle_after) continue;
    }
    int coordinator = p->coordinator.empty() ? options_.group : std::stoi(p->coordinator);
    if (coordinator == options_.group) {
      status = Decide(id);
    } else {
      try {
        transport::CallOptions call;
        call.timeout = std::chrono::milliseconds(2000);
        TxnRequest ask;
        ask.txn_id = id;
        status = Decode<TxnStatusResponse>(rpc_->Call(directory_->Address(coordinator), kTxnStatus, Encode(ask), call));
      } catch (const SqlError& e) {
        spdlog::warn("cleaner: cannot ask group {} about transaction {}: {}", coordinator, id, e.what());
        continue;
      }
    }
    if (status.state == TxnStatusResponse::State::kPending) continue;
    std::lock_guard lock(p->mutex);
    if (!p->txn) continue;
    if (status.state == TxnStatusResponse::State::kCommitted) {
      p->txn->CommitAt(status.commit_ts);
      spdlog::info("cleaner: committed transaction {} at {} after its gateway went away", id, status.commit_ts);
    } else {
      p->txn->Rollback();
      spdlog::info("cleaner: rolled back transaction {} after its gateway went away", id);
    }
    p->txn.reset();
    participants_.Remove(id);
  }
}

void StorageNode::AdvanceGcSafePoint() {
  auto now = Clock::now();
  if (oracle_samples_.empty() || now - oracle_samples_.back().first >= std::chrono::seconds(5))
    oracle_samples_.emplace_back(now, tso_->Next());
  std::optional<uint64_t> safe;
  while (!oracle_samples_.empty() && now - oracle_samples_.front().first >= kLongestSnapshot) {
    safe = oracle_samples_.front().second;
    oracle_samples_.pop_front();
  }
  if (safe) engine_->SetGcSafePoint(*safe);
}

// --- the deadlock detector's questions (deadlock_detector.h) --------------------

std::string StorageNode::HandleWaitEdges() {
  std::shared_lock swap(engine_mutex_);
  auto edges = engine_->Locks().WaitEdges();
  WaitEdgesResponse response;
  if (edges.empty()) return Encode(response);
  std::unordered_map<storage::mvcc::TxnId, std::string> names;
  for (auto& [name, p] : participants_.All()) names.emplace(p->lock_id, name);
  for (auto& e : edges) {
    auto waiter = names.find(e.waiter);
    auto holder = names.find(e.holder);
    // One-shot statements have no name; they touch one node, so any cycle
    // through them is local, and the lock manager refuses it itself.
    if (waiter == names.end() || holder == names.end()) continue;
    response.edges.push_back({waiter->second, holder->second, e.waited.count()});
  }
  return Encode(response);
}

std::string StorageNode::HandleBreakWait(std::string_view payload) {
  TxnRequest request = Decode<TxnRequest>(payload);
  std::shared_lock swap(engine_mutex_);
  if (ParticipantRef p = participants_.Find(request.txn_id))
    engine_->Locks().Interrupt(p->lock_id, storage::mvcc::LockManager::InterruptReason::kDeadlock);
  return {};
}

void StorageNode::OnDisconnect(uint64_t connection) {
  for (auto& [id, p] : participants_.All()) {
    std::lock_guard lock(p->mutex);
    if (p->connection != connection || p->prepared || !p->txn) continue;
    p->txn->Rollback();
    p->txn.reset();
    participants_.Remove(id);
  }
}

// --- oracle and status ---------------------------------------------------------

std::string StorageNode::HandleTimestamps(std::string_view payload) {
  TimestampRequest request = Decode<TimestampRequest>(payload);
  uint64_t first = tso_service_->Allocate(std::max<uint32_t>(request.count, 1));
  if (first == 0) throw SqlError("08006", "this node is not the timestamp oracle leader");
  return Encode(TimestampResponse{first});
}

std::string StorageNode::HandlePing() {
  std::shared_lock swap(engine_mutex_);
  uint64_t epoch = 0;
  {
    std::lock_guard lock(role_mutex_);
    epoch = role_.primary.epoch;
  }
  return nlohmann::json{{"group", options_.group},
                        {"address", address_},
                        {"node", node_id_},
                        {"role", IsPrimary() ? "primary" : "backup"},
                        {"epoch", epoch},
                        {"transactions", participants_.Size()},
                        {"oracle_leader", tso_service_->IsLeader()},
                        {"max_committed", engine_->MaxCommitted()},
                        {"log_position", engine_->Log()->LastPosition()},
                        {"backups", BackupsJson()}}
      .dump();
}

}  // namespace tessera::cluster
