// KeptLease: renews its lease in the background, revokes it on destruction, and reports a loss
// once when etcd revokes it or stays unreachable past the TTL.
#include "cluster/etcd/kept_lease.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/unit/cluster_etcd/etcd_test_support.h"

namespace tessera::cluster::etcd::testing {
namespace {

using std::chrono::milliseconds;

class KeptLeaseTest : public EtcdSuite {};

TEST_F(KeptLeaseTest, KeepsKeyAlivePastTheTtlAndRevokesOnDestruction) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  std::atomic<int> lost{0};
  {
    KeptLease lease(client, 1, [&] { ++lost; });
    client.Put(key, "alive", lease.Id());
    std::this_thread::sleep_for(milliseconds(2000));  // 2 TTLs
    EXPECT_EQ(client.Get(key).kvs.size(), 1u);
    EXPECT_FALSE(lease.Lost());
  }
  EXPECT_EQ(lost.load(), 0);
  EXPECT_TRUE(client.Get(key).kvs.empty());  // revoked at once, not after the TTL
}

TEST_F(KeptLeaseTest, ReportsLossOnceWhenEtcdRevokesTheLease) {
  Client client(Endpoint());
  std::atomic<int> lost{0};
  KeptLease lease(client, 1, [&] { ++lost; });
  client.LeaseRevoke(lease.Id());
  EXPECT_TRUE(WaitFor([&] { return lease.Lost(); }, milliseconds(1000)));  // next renewal after ttl/3
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(lost.load(), 1);
}

TEST(KeptLeaseWithoutEtcd, GrantFailureThrows) {
  Client client("http://127.0.0.1:" + std::to_string(DeadPort()), milliseconds(200));
  EXPECT_THROW(KeptLease(client, 1), EtcdError);
}

TEST(KeptLeaseEtcdStops, ReportsLossAfterTheTtl) {
  tessera::testing::EtcdProcess etcd;
  Client client(etcd.Endpoint(), milliseconds(2000));
  std::atomic<int> lost{0};
  auto lease = std::make_unique<KeptLease>(client, 1, [&] { ++lost; });
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_FALSE(lease->Lost());

  etcd.Stop();
  auto stopped = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return lease->Lost(); }, milliseconds(3000)));
  EXPECT_LE(SecondsSince(stopped), 1.5);  // within a TTL of the last renewal
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(lost.load(), 1);

  auto destroying = std::chrono::steady_clock::now();
  lease.reset();  // a lost lease is not revoked, so this does not wait for etcd
  EXPECT_LT(SecondsSince(destroying), 0.5);
}

}  // namespace
}  // namespace tessera::cluster::etcd::testing
