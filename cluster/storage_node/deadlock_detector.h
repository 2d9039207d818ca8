// Deadlocks that span storage nodes. Each node's lock manager refuses a wait
// that would close a cycle among its own transactions (storage/mvcc/
// lock_table.h), but a cycle through two nodes (T1 waits for T2 on one node,
// T2 for T1 on another) is visible to neither. The node that leads the
// timestamp oracle therefore also runs this detector: about once a second it
// asks every node for its waits (kWaitEdges), joins them into one wait-for
// graph of transaction names, and breaks each cycle by failing the waits of
// its youngest waiter with 40P01 (kBreakWait), as PostgreSQL fails the
// waiter whose check finds the deadlock.
//
// Waits younger than a second (PostgreSQL's deadlock_timeout) are left out:
// most end by themselves, and locks are held to the end of their
// transaction, so a cycle of waits that old is a real one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/common/node_directory.h"
#include "cluster/transport/rpc_client.h"

namespace tessera::cluster {

// One wait, as the node of `group` reported it.
struct ObservedWait {
  int group = 0;
  std::string waiter;
  std::string holder;
  int64_t waited_ms = 0;
};

// The transactions whose waits to fail: one per cycle of waits at least
// `min_wait_ms` old, the one in the cycle that waited least.
std::vector<std::string> ChooseDeadlockVictims(const std::vector<ObservedWait>& waits, int64_t min_wait_ms);

class DeadlockDetector {
 public:
  static constexpr int64_t kMinWaitMs = 1000;

  DeadlockDetector(NodeDirectory& directory, transport::RpcClient& rpc) : directory_(directory), rpc_(rpc) {}
  // One round: gather every node's waits, break the cycles. Nodes that do
  // not answer are left out (their waits end by lock timeout).
  void RunOnce();

 private:
  NodeDirectory& directory_;
  transport::RpcClient& rpc_;
};

}  // namespace tessera::cluster
