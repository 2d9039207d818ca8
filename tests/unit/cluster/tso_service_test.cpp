// TsoService (cluster/storage_node/tso_service.h): who serves the timestamp
// oracle. Group 0's primary campaigns while it holds its group's lease and
// takes the key over from the primary it superseded; other nodes serve only
// while group 0 has no primary; authority is checked again after a value is
// taken; a successor starts above everything served.
#include "cluster/storage_node/tso_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "cluster/common/etcd_keys.h"
#include "cluster/common/tso_client.h"
#include "tests/unit/cluster_etcd/etcd_process.h"

namespace tessera::cluster {
namespace {

using namespace std::chrono_literals;

// A node's standing, changed by the test while the service runs.
struct Standing {
  std::mutex mutex;
  OracleStanding value;
  void Set(bool group0_primary, uint64_t epoch, bool lease) {
    std::lock_guard lock(mutex);
    value = OracleStanding{group0_primary, epoch, lease};
  }
  std::function<OracleStanding()> Reader() {
    return [this] {
      std::lock_guard lock(mutex);
      return value;
    };
  }
};

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds limit = 2000ms) {
  for (auto deadline = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < deadline;) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class TsoServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { etcd_ = std::make_unique<tessera::testing::EtcdProcess>(); }
  static void TearDownTestSuite() { etcd_.reset(); }
  static inline std::unique_ptr<tessera::testing::EtcdProcess> etcd_;

  void SetUp() override {
    etcd::Client client(etcd_->Endpoint());
    client.Delete(keys::kTsoLeader);
    client.Delete(keys::Node(0));
  }
  static std::string Holder(etcd::Client& client) {
    auto found = client.Get(keys::kTsoLeader);
    return found.kvs.empty() ? "" : found.kvs[0].value;
  }
};

TEST_F(TsoServiceTest, GroupZeroPrimaryServesOnlyWhileItHoldsItsLease) {
  etcd::Client client(etcd_->Endpoint());
  client.Put(keys::Node(0), "{}");  // group 0 has a primary: no other node campaigns
  Standing standing;
  standing.Set(true, 1, false);
  TsoService oracle(client, "127.0.0.1:1001", standing.Reader());
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(oracle.Allocate(1), 0u);
  EXPECT_EQ(Holder(client), "") << "campaigned without the group's lease";
  standing.Set(true, 1, true);
  ASSERT_TRUE(WaitFor([&] { return oracle.IsLeader(); }));
  EXPECT_EQ(Holder(client), OracleKeyValue("127.0.0.1:1001", 1));
  uint64_t first = oracle.Allocate(5);
  EXPECT_GT(first, 0u);
  EXPECT_GT(oracle.Allocate(1), first + 4);
  standing.Set(true, 1, false);  // the group's lease lapsed: at once, whatever etcd holds
  EXPECT_EQ(oracle.Allocate(1), 0u);
  EXPECT_FALSE(oracle.IsLeader());
}

// The value was taken while the authority held, but it lapsed before the
// answer: a successor may exist, so nothing is answered.
TEST_F(TsoServiceTest, AuthorityLostWhileAllocatingAnswersNothing) {
  etcd::Client client(etcd_->Endpoint());
  client.Put(keys::Node(0), "{}");
  const auto test_thread = std::this_thread::get_id();
  std::atomic<bool> armed{false};
  std::atomic<int> asked{0};
  TsoService oracle(client, "127.0.0.1:1002", [&] {
    // Once armed, this thread is told: lease, then no lease.
    bool lease = !(armed && std::this_thread::get_id() == test_thread && ++asked > 1);
    return OracleStanding{true, 1, lease};
  });
  ASSERT_TRUE(WaitFor([&] { return oracle.IsLeader(); }));
  armed = true;
  EXPECT_EQ(oracle.Allocate(1), 0u);
  EXPECT_EQ(asked.load(), 2);
}

// A new primary of group 0 does not wait for the old one's 3 s lease on the
// key: it takes the key over, and starts above everything the old one served.
TEST_F(TsoServiceTest, NewGroupZeroPrimaryTakesOverFromTheOneItSuperseded) {
  etcd::Client client(etcd_->Endpoint());
  client.Put(keys::Node(0), "{}");
  Standing a_standing, b_standing;
  a_standing.Set(true, 4, true);
  b_standing.Set(false, 0, false);  // a backup
  TsoService a(client, "127.0.0.1:1003", a_standing.Reader());
  TsoService b(client, "127.0.0.1:1004", b_standing.Reader());
  ASSERT_TRUE(WaitFor([&] { return a.IsLeader(); }));
  uint64_t last = 0;
  for (int i = 0; i < 10; ++i) last = a.Allocate(3) + 2;
  a_standing.Set(true, 4, false);  // deposed: its group lease ran out, its key's lease did not
  b_standing.Set(true, 5, true);   // promoted at the next epoch
  auto promoted = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return b.IsLeader(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - promoted, 1500ms) << "waited for the old lease on the key";
  EXPECT_EQ(Holder(client), OracleKeyValue("127.0.0.1:1004", 5));
  EXPECT_GT(b.Allocate(1), last);
  EXPECT_EQ(a.Allocate(1), 0u);
}

// Only a holder of an older epoch can be superseded: a primary that claims
// group 0 at the same epoch (or an older one) waits for the key.
TEST_F(TsoServiceTest, NoTakeOverFromTheSameOrANewerEpoch) {
  etcd::Client client(etcd_->Endpoint());
  client.Put(keys::Node(0), "{}");
  Standing a_standing, b_standing, c_standing;
  a_standing.Set(true, 7, true);
  TsoService a(client, "127.0.0.1:1005", a_standing.Reader());
  ASSERT_TRUE(WaitFor([&] { return a.IsLeader(); }));
  b_standing.Set(true, 7, true);
  c_standing.Set(true, 6, true);
  TsoService b(client, "127.0.0.1:1006", b_standing.Reader());
  TsoService c(client, "127.0.0.1:1007", c_standing.Reader());
  std::this_thread::sleep_for(800ms);
  EXPECT_TRUE(a.IsLeader());
  EXPECT_FALSE(b.IsLeader());
  EXPECT_FALSE(c.IsLeader());
  EXPECT_EQ(Holder(client), OracleKeyValue("127.0.0.1:1005", 7));
}

// In a cluster whose group 0 has no primary (an unreplicated group 0 whose
// node died), another node serves the oracle, and hands it back.
TEST_F(TsoServiceTest, OtherNodesServeOnlyWhileGroupZeroHasNoPrimary) {
  etcd::Client client(etcd_->Endpoint());
  Standing other_standing, primary_standing;
  TsoService other(client, "127.0.0.1:1008", other_standing.Reader());
  ASSERT_TRUE(WaitFor([&] { return other.IsLeader(); }));
  uint64_t last = other.Allocate(10) + 9;
  client.Put(keys::Node(0), "{}");  // group 0's primary registered
  primary_standing.Set(true, 1, true);
  TsoService primary(client, "127.0.0.1:1009", primary_standing.Reader());
  ASSERT_TRUE(WaitFor([&] { return primary.IsLeader(); }, 3000ms));
  EXPECT_FALSE(other.IsLeader());
  EXPECT_EQ(other.Allocate(1), 0u);
  EXPECT_GT(primary.Allocate(1), last);
  EXPECT_EQ(Holder(client), OracleKeyValue("127.0.0.1:1009", 1));
}

// A leader whose standing changes (a backup that served while group 0 had
// no primary, now promoted) campaigns again under its new standing, and
// serves nothing meanwhile under the old one.
TEST_F(TsoServiceTest, ChangedStandingCampaignsAgain) {
  etcd::Client client(etcd_->Endpoint());
  Standing standing;
  TsoService oracle(client, "127.0.0.1:1010", standing.Reader());
  ASSERT_TRUE(WaitFor([&] { return oracle.IsLeader(); }));
  EXPECT_EQ(Holder(client), OracleKeyValue("127.0.0.1:1010", 0));
  uint64_t last = oracle.Allocate(1);
  client.Put(keys::Node(0), "{}");
  standing.Set(true, 3, true);
  ASSERT_TRUE(WaitFor([&] { return Holder(client) == OracleKeyValue("127.0.0.1:1010", 3); }));
  ASSERT_TRUE(WaitFor([&] { return oracle.IsLeader(); }));
  EXPECT_GT(oracle.Allocate(1), last);
}

}  // namespace
}  // namespace tessera::cluster
