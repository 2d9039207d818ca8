// Election: exactly one contender leads; leadership passes on when the leader resigns, is
// destroyed or loses its lease.
#include "cluster/etcd/election.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tests/unit/cluster_etcd/etcd_test_support.h"

namespace tessera::cluster::etcd::testing {
namespace {

using std::chrono::milliseconds;

class ElectionTest : public EtcdSuite {};

TEST_F(ElectionTest, OneLeadsThenTheOtherTakesOverAfterResign) {
  Client c1(Endpoint()), c2(Endpoint());
  const std::string key = Prefix() + "leader";
  Election e1(c1, key, "node-1", 2), e2(c2, key, "node-2", 2);
  EXPECT_EQ(e1.Leader(), std::nullopt);

  EXPECT_TRUE(e1.TryLead());
  EXPECT_FALSE(e2.TryLead());
  EXPECT_TRUE(e1.TryLead());  // already leading
  EXPECT_TRUE(e1.IsLeader());
  EXPECT_FALSE(e2.IsLeader());
  EXPECT_EQ(e1.Leader(), "node-1");
  EXPECT_EQ(e2.Leader(), "node-1");

  e1.Resign();
  EXPECT_FALSE(e1.IsLeader());
  EXPECT_EQ(e2.Leader(), std::nullopt);
  EXPECT_TRUE(e2.TryLead());
  EXPECT_TRUE(e2.IsLeader());
  EXPECT_FALSE(e1.TryLead());
  EXPECT_EQ(e1.Leader(), "node-2");
}

// TakeOver claims the key only from the holder named (the caller knows that
// holder can no longer act), without waiting for its lease; the old holder's
// next TryLead finds the key on another lease.
TEST_F(ElectionTest, TakeOverClaimsTheKeyOnlyFromTheHolderNamed) {
  Client c1(Endpoint()), c2(Endpoint());
  const std::string key = Prefix() + "leader";
  Election e1(c1, key, "node-1", 30), e2(c2, key, "node-2", 30);
  ASSERT_TRUE(e1.TryLead());
  EXPECT_FALSE(e2.TakeOver("node-3"));
  EXPECT_FALSE(e2.IsLeader());
  EXPECT_EQ(e2.Leader(), "node-1");
  EXPECT_TRUE(e2.TakeOver("node-1"));
  EXPECT_TRUE(e2.IsLeader());
  EXPECT_EQ(e1.Leader(), "node-2");
  EXPECT_FALSE(e1.TryLead());
  EXPECT_FALSE(e1.IsLeader());
  EXPECT_TRUE(e2.TakeOver("node-1"));  // already ours: still leading
  e1.Resign();                         // not its key any more: left alone
  EXPECT_EQ(e2.Leader(), "node-2");
}

TEST_F(ElectionTest, ExactlyOneOfManyConcurrentContendersLeads) {
  const std::string key = Prefix() + "leader";
  constexpr int kContenders = 6;
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::unique_ptr<Election>> elections;
  for (int i = 0; i < kContenders; ++i) {
    clients.push_back(std::make_unique<Client>(Endpoint()));
    elections.push_back(std::make_unique<Election>(*clients.back(), key, "node-" + std::to_string(i), 2));
  }
  std::atomic<int> leaders{0};
  std::atomic<int> winner{-1};
  std::vector<std::thread> threads;
  for (int i = 0; i < kContenders; ++i) {
    threads.emplace_back([&, i] {
      if (elections[i]->TryLead()) {
        ++leaders;
        winner = i;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(leaders.load(), 1);
  EXPECT_EQ(elections[0]->Leader(), "node-" + std::to_string(winner.load()));
  for (int i = 0; i < kContenders; ++i) EXPECT_EQ(elections[i]->IsLeader(), i == winner.load());
}

TEST_F(ElectionTest, DestroyingTheLeaderResigns) {
  Client client(Endpoint());
  const std::string key = Prefix() + "leader";
  Election e2(client, key, "node-2", 2);
  {
    Election e1(client, key, "node-1", 2);
    ASSERT_TRUE(e1.TryLead());
    EXPECT_FALSE(e2.TryLead());
  }
  EXPECT_EQ(e2.Leader(), std::nullopt);
  EXPECT_TRUE(e2.TryLead());
}

TEST_F(ElectionTest, LosingTheLeaseEndsLeadership) {
  Client client(Endpoint());
  const std::string key = Prefix() + "leader";
  Election e1(client, key, "node-1", 1), e2(client, key, "node-2", 1);
  ASSERT_TRUE(e1.TryLead());
  int64_t lease = client.Get(key).kvs.at(0).lease;
  ASSERT_NE(lease, 0);

  client.LeaseRevoke(lease);  // as if etcd had expired it
  EXPECT_TRUE(WaitFor([&] { return !e1.IsLeader(); }, milliseconds(1000)));
  EXPECT_TRUE(e2.TryLead());
  EXPECT_FALSE(e1.TryLead());  // with a fresh lease, but the key is taken
  EXPECT_EQ(e1.Leader(), "node-2");
}

TEST_F(ElectionTest, LeadershipOutlivesTheTtlWhileTheLeaseIsKept) {
  Client client(Endpoint());
  const std::string key = Prefix() + "leader";
  Election e1(client, key, "node-1", 1), e2(client, key, "node-2", 1);
  ASSERT_TRUE(e1.TryLead());
  std::this_thread::sleep_for(milliseconds(1800));  // etcd would have expired an unkept lease by now
  EXPECT_TRUE(e1.IsLeader());
  EXPECT_FALSE(e2.TryLead());
  EXPECT_EQ(e2.Leader(), "node-1");
}

TEST_F(ElectionTest, AskingWhetherItLeadsNeverWaitsForEtcd) {
  // The timestamp oracle asks on every allocation. A campaign round waiting in an etcd request
  // (etcd electing a leader of its own) held the election's mutex, and every allocation with it,
  // for up to the client's timeout: killing etcd's leader stalled the cluster's commits for 9 s.
  Client client(Endpoint(), milliseconds(2000));
  Election election(client, Prefix() + "leader", "node-1", 10);
  ASSERT_TRUE(election.TryLead());
  etcd_->Pause();
  std::thread campaign([&] {
    try {
      election.TryLead();
    } catch (const EtcdError&) {
    }
  });
  std::this_thread::sleep_for(milliseconds(300));  // the round is waiting for etcd
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(election.IsLeader()) << "its lease (10 s) still holds";
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(100));
  etcd_->Resume();
  campaign.join();
  EXPECT_TRUE(election.IsLeader());
}

}  // namespace
}  // namespace tessera::cluster::etcd::testing
