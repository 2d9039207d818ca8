// Statements through a failover: a request the group's old primary failed is
// sent again to its new one when that cannot apply anything twice.
//
// When a primary dies or is paused, its in-sync backup takes the group over
// within a few seconds and registers its address in etcd, where the node
// directory's watch sees it. Meanwhile requests to the group fail: the dead
// node's port refuses connections, and a deposed or lease-less primary, a
// backup, or a node still starting refuses them on arrival. Those requests
// were never started (transport::NotStarted), so sending them again is safe
// whatever they do, as long as the transaction has no earlier state on that
// group (which lived in the old primary's memory and is gone). A one-shot
// read (no state left on the node) is safe to send again after any
// connection failure, even one in the middle of its answer. Everything else
// reaches the client as before (08006 naming the node, or 40001 at commit),
// and so does every failure of a group with no in-sync backup (unreplicated,
// or its backups dropped): no failover is coming to wait for.
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "cluster/gateway/cluster_txn.h"
#include "cluster/replication/group_membership.h"
#include "cluster/transport/transport_errors.h"
#include "common/blocking_call.h"
#include "common/fiber.h"

namespace tessera::cluster {
namespace {

// Longer than a failover takes (a takeover is due within 3 s of a primary's
// death, and the new address reaches the gateway through its etcd watch).
constexpr auto kFailoverWait = std::chrono::seconds(6);

bool MaySendAgain(const std::exception_ptr& error, ClusterTxn::Resend resend) {
  if (resend == ClusterTxn::Resend::kNever) return false;
  try {
    std::rethrow_exception(error);
  } catch (const SqlError& e) {
    if (transport::NotStarted(e)) return true;
    return resend == ClusterTxn::Resend::kAfterAnyConnectionFailure && e.Sqlstate() == transport::kConnectionFailure;
  } catch (...) {
    return false;
  }
}

// Whether `group` has an in-sync backup, which may take it over.
bool MayFailOver(etcd::Client& etcd, int group) {
  try {
    return !RunBlocking([&] { return replication::ReadInSync(etcd, group); }).members.empty();
  } catch (const std::exception&) {
    return false;  // etcd unreachable: no failover can happen either
  }
}

}  // namespace

// A paused primary answers nothing until it wakes (after its group has long
// been taken over): its callers stop waiting for it as soon as the node
// directory's watch shows the group's new primary. A read then goes again to
// the new one (MaySendAgain: any connection failure); anything else fails
// with 08006, as it may or may not have taken effect.
std::function<bool()> ClusterTxn::ReplacedCheck(int group, const std::string& address) {
  NodeDirectory* nodes = &backend_.Nodes();
  return [nodes, group, address] {
    std::optional<std::string> now = nodes->KnownAddress(group);
    return now.has_value() && *now != address;
  };
}

std::vector<std::string> ClusterTxn::CallThroughFailover(const std::vector<int>& groups, uint16_t method,
                                                         const std::vector<std::string>& payloads,
                                                         const std::vector<Resend>& resend,
                                                         const executor::StatementPoll& poll) {
  std::vector<std::string> replies(groups.size());
  std::vector<size_t> todo(groups.size());
  for (size_t i = 0; i < todo.size(); ++i) todo[i] = i;
  std::optional<std::chrono::steady_clock::time_point> give_up;  // from the first failure
  std::map<int, bool> may_fail_over;                              // asked once per group
  auto group_may_fail_over = [&](int group) {
    auto it = may_fail_over.find(group);
    if (it == may_fail_over.end()) it = may_fail_over.emplace(group, MayFailOver(backend_.Etcd(), group)).first;
    return it->second;
  };
  auto pause = std::chrono::milliseconds(20);
  for (;;) {
    std::vector<int> some_groups;
    std::vector<std::string> some_payloads;
    for (size_t i : todo) {
      some_groups.push_back(groups[i]);
      some_payloads.push_back(payloads[i]);
    }
    std::vector<Outcome> outcomes = CallEach(some_groups, method, some_payloads, std::chrono::milliseconds(0));
    std::vector<size_t> again;
    std::exception_ptr first_retriable;
    for (size_t k = 0; k < todo.size(); ++k) {
      size_t i = todo[k];
      if (!outcomes[k].error) {
        replies[i] = std::move(outcomes[k].reply);
      } else if (MaySendAgain(outcomes[k].error, resend[i]) && group_may_fail_over(groups[i])) {
        again.push_back(i);
        if (!first_retriable) first_retriable = outcomes[k].error;
      } else {
        std::rethrow_exception(outcomes[k].error);
      }
    }
    if (again.empty()) return replies;
    if (!give_up) give_up = std::chrono::steady_clock::now() + kFailoverWait;
    if (std::chrono::steady_clock::now() + pause > *give_up) std::rethrow_exception(first_retriable);
    poll.Check();  // a cancel or statement_timeout ends the wait
    WaitSlot::Make()->Wait(pause);  // parks the session's fiber
    pause = std::min(pause * 2, std::chrono::milliseconds(200));
    todo = std::move(again);
  }
}

}  // namespace tessera::cluster
