#include "cluster/storage_node/deadlock_detector.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "cluster/common/node_protocol.h"

namespace tessera::cluster {

namespace {

using Graph = std::map<std::string, std::set<std::string>>;  // waiter -> holders

// A cycle through the graph as its transactions in order; empty if none.
std::vector<std::string> FindCycle(const Graph& graph) {
  enum class Mark { kNone, kOnPath, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  // Iterative depth-first search: the graph is small, but a chain of waits
  // must not be able to exhaust the stack.
  for (auto& [start, unused] : graph) {
    if (marks[start] != Mark::kNone) continue;
    std::vector<std::pair<std::string, std::set<std::string>::const_iterator>> stack;
    stack.emplace_back(start, graph.at(start).begin());
    marks[start] = Mark::kOnPath;
    path.push_back(start);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      auto edges = graph.find(node);
      if (edges == graph.end() || next == edges->second.end()) {
        marks[node] = Mark::kDone;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      const std::string& to = *next++;
      Mark mark = marks[to];
      if (mark == Mark::kOnPath) {
        auto from = std::find(path.begin(), path.end(), to);
        return {from, path.end()};
      }
      if (mark == Mark::kDone) continue;
      marks[to] = Mark::kOnPath;
      path.push_back(to);
      auto to_edges = graph.find(to);
      static const std::set<std::string> kNoEdges;
      stack.emplace_back(to, to_edges == graph.end() ? kNoEdges.begin() : to_edges->second.begin());
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> ChooseDeadlockVictims(const std::vector<ObservedWait>& waits, int64_t min_wait_ms) {
  Graph graph;
  std::map<std::pair<std::string, std::string>, int64_t> youngest;  // (waiter, holder) -> shortest wait
  for (auto& w : waits) {
    if (w.waited_ms < min_wait_ms || w.waiter.empty() || w.holder.empty() || w.waiter == w.holder) continue;
    graph[w.waiter].insert(w.holder);
    auto [it, added] = youngest.try_emplace({w.waiter, w.holder}, w.waited_ms);
    if (!added) it->second = std::min(it->second, w.waited_ms);
  }
  std::vector<std::string> victims;
  for (std::vector<std::string> cycle = FindCycle(graph); !cycle.empty(); cycle = FindCycle(graph)) {
    std::string victim;
    int64_t least = 0;
    for (size_t i = 0; i < cycle.size(); ++i) {
      const std::string& waiter = cycle[i];
      const std::string& holder = cycle[(i + 1) % cycle.size()];
      int64_t waited = youngest.at({waiter, holder});
      if (victim.empty() || waited < least) {
        victim = waiter;
        least = waited;
      }
    }
    victims.push_back(victim);
    graph.erase(victim);  // its waits fail: it waits for nothing any more
  }
  return victims;
}

void DeadlockDetector::RunOnce() {
  transport::CallOptions options;
  options.timeout = std::chrono::milliseconds(1000);
  std::vector<std::pair<int, std::shared_ptr<transport::RpcClient::Pending>>> calls;
  for (auto& [group, node] : directory_.All()) {
    try {
      calls.emplace_back(group, rpc_.Start(node.address, kWaitEdges, std::string(), options));
    } catch (const std::exception&) {
      // unreachable now: its waits end by lock timeout
    }
  }
  std::vector<ObservedWait> waits;
  for (auto& [group, call] : calls) {
    try {
      for (auto& e : Decode<WaitEdgesResponse>(call->Wait()).edges)
        waits.push_back({group, e.waiter, e.holder, e.waited_ms});
    } catch (const std::exception&) {
    }
  }
  if (waits.size() < 2) return;  // a cycle across nodes needs two waits
  for (const std::string& victim : ChooseDeadlockVictims(waits, kMinWaitMs)) {
    spdlog::info("deadlock across storage nodes: failing the lock waits of {}", victim);
    TxnRequest request;
    request.txn_id = victim;
    std::set<int> groups;
    for (auto& w : waits)
      if (w.waiter == victim) groups.insert(w.group);
    for (int group : groups) {
      try {
        rpc_.Call(directory_.Address(group), kBreakWait, Encode(request), options);
      } catch (const std::exception& e) {
        spdlog::warn("deadlock detector: could not reach group {}: {}", group, e.what());
      }
    }
  }
}

}  // namespace tessera::cluster
