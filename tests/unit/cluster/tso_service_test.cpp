// TsoService (cluster/storage_node/tso_service.h): the timestamp oracle
// serves only under its owner's authority (group 0's primary holding its
// lease), checks that authority again after taking a value, publishes its
// address while it leads, and a successor starts above everything served.
#include "cluster/storage_node/tso_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "cluster/common/etcd_keys.h"
#include "tests/unit/cluster_etcd/etcd_process.h"

namespace tessera::cluster {
namespace {

using namespace std::chrono_literals;

class TsoServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { etcd_ = std::make_unique<tessera::testing::EtcdProcess>(); }
  static void TearDownTestSuite() { etcd_.reset(); }
  static inline std::unique_ptr<tessera::testing::EtcdProcess> etcd_;

  std::string Published(etcd::Client& client) {
    auto found = client.Get(keys::kTsoLeader);
    return found.kvs.empty() ? "" : found.kvs[0].value;
  }
  bool WaitPublished(etcd::Client& client, const std::string& expected) {
    for (int i = 0; i < 300; ++i) {
      if (Published(client) == expected) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
};

TEST_F(TsoServiceTest, ServesOnlyWhileItHoldsAuthority) {
  etcd::Client client(etcd_->Endpoint());
  std::atomic<bool> authority{false};
  TsoService oracle(client, "127.0.0.1:1001", [&] { return authority.load(); });
  EXPECT_EQ(oracle.Allocate(1), 0u);
  EXPECT_FALSE(oracle.IsLeader());
  authority = true;
  uint64_t first = oracle.Allocate(5);
  EXPECT_GT(first, 0u);
  EXPECT_GT(oracle.Allocate(1), first + 4);
  EXPECT_TRUE(oracle.IsLeader());
  authority = false;
  EXPECT_EQ(oracle.Allocate(1), 0u);
}

// The value was taken while the authority held, but it lapsed before the
// answer: a successor may exist, so nothing is answered.
TEST_F(TsoServiceTest, AuthorityLostWhileAllocatingAnswersNothing) {
  etcd::Client client(etcd_->Endpoint());
  // Asked from this thread: true, then false. The publisher's thread is always told false.
  const auto test_thread = std::this_thread::get_id();
  std::atomic<int> asked{0};
  TsoService oracle(client, "127.0.0.1:1002",
                    [&] { return std::this_thread::get_id() == test_thread && ++asked == 1; });
  EXPECT_EQ(oracle.Allocate(1), 0u);
  EXPECT_EQ(asked.load(), 2);
}

TEST_F(TsoServiceTest, SuccessorStartsAboveEverythingServed) {
  etcd::Client client(etcd_->Endpoint());
  std::atomic<bool> a_leads{true}, b_leads{false};
  TsoService a(client, "127.0.0.1:1003", [&] { return a_leads.load(); });
  TsoService b(client, "127.0.0.1:1004", [&] { return b_leads.load(); });
  uint64_t last = 0;
  for (int i = 0; i < 10; ++i) last = a.Allocate(3) + 2;
  a_leads = false;
  b_leads = true;
  uint64_t from_b = b.Allocate(1);
  EXPECT_GT(from_b, last);
  EXPECT_EQ(a.Allocate(1), 0u);
  // A regains authority later: it must not go on from its old window.
  for (int i = 0; i < 10; ++i) from_b = b.Allocate(1);
  b_leads = false;
  a_leads = true;
  EXPECT_GT(a.Allocate(1), from_b);
}

TEST_F(TsoServiceTest, PublishesItsAddressWhileItLeads) {
  etcd::Client client(etcd_->Endpoint());
  std::atomic<bool> a_leads{false}, b_leads{false};
  TsoService a(client, "127.0.0.1:1005", [&] { return a_leads.load(); });
  TsoService b(client, "127.0.0.1:1006", [&] { return b_leads.load(); });
  a_leads = true;
  EXPECT_TRUE(WaitPublished(client, "127.0.0.1:1005"));
  a_leads = false;  // stepping down revokes the key's lease
  EXPECT_TRUE(WaitPublished(client, ""));
  b_leads = true;
  EXPECT_TRUE(WaitPublished(client, "127.0.0.1:1006"));
  // A stale name (a deposed leader's late write) is corrected by the leader.
  client.Put(keys::kTsoLeader, "127.0.0.1:1005");
  EXPECT_TRUE(WaitPublished(client, "127.0.0.1:1006"));
}

}  // namespace
}  // namespace tessera::cluster
