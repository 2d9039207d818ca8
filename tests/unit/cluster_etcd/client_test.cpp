// Client against a real etcd: key-value calls, transactions with every compare target, leases,
// concurrency, failover and the deadline when etcd is absent or silent.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "cluster/etcd/etcd_client.h"
#include "tests/unit/cluster_etcd/etcd_test_support.h"

namespace tessera::cluster::etcd::testing {
namespace {

using std::chrono::milliseconds;
using R = Compare::Result;

class ClientTest : public EtcdSuite {};

TEST_F(ClientTest, PutGetOverwriteDelete) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  EXPECT_TRUE(client.Get(key).kvs.empty());

  int64_t rev1 = client.Put(key, "one");
  int64_t rev2 = client.Put(key, "two");
  EXPECT_GT(rev2, rev1);

  RangeResult got = client.Get(key);
  ASSERT_EQ(got.kvs.size(), 1u);
  EXPECT_EQ(got.kvs[0].key, key);
  EXPECT_EQ(got.kvs[0].value, "two");
  EXPECT_EQ(got.kvs[0].create_revision, rev1);
  EXPECT_EQ(got.kvs[0].mod_revision, rev2);
  EXPECT_EQ(got.kvs[0].version, 2);
  EXPECT_EQ(got.kvs[0].lease, 0);
  EXPECT_GE(got.revision, rev2);

  EXPECT_EQ(client.Delete(key), 1);
  EXPECT_EQ(client.Delete(key), 0);
  EXPECT_TRUE(client.Get(key).kvs.empty());
}

TEST_F(ClientTest, BinaryKeysAndValuesRoundTrip) {
  Client client(Endpoint());
  const std::string key = Prefix() + std::string("\0\xff\x01 k", 5);
  const std::string value("\0\x80\xfe\n\"{}", 7);
  client.Put(key, value);
  RangeResult got = client.Get(key);
  ASSERT_EQ(got.kvs.size(), 1u);
  EXPECT_EQ(got.kvs[0].key, key);
  EXPECT_EQ(got.kvs[0].value, value);
  client.Put(key, "");
  EXPECT_EQ(client.Get(key).kvs.at(0).value, "");
}

TEST_F(ClientTest, PrefixGetAndDeleteStayInsideThePrefix) {
  Client client(Endpoint());
  const std::string p = Prefix() + "dir/";
  client.Put(p + "b", "2");
  client.Put(p + "a", "1");
  client.Put(p + "c", "3");
  client.Put(Prefix() + "dir0", "outside");  // "dir0" is the first key after the prefix "dir/"
  client.Put(Prefix() + "dir", "outside");

  RangeResult got = client.GetPrefix(p);
  ASSERT_EQ(got.kvs.size(), 3u);
  EXPECT_EQ(got.kvs[0].key, p + "a");  // sorted by key
  EXPECT_EQ(got.kvs[1].key, p + "b");
  EXPECT_EQ(got.kvs[2].value, "3");

  EXPECT_EQ(client.Delete(p, /*prefix=*/true), 3);
  EXPECT_TRUE(client.GetPrefix(p).kvs.empty());
  EXPECT_EQ(client.GetPrefix(Prefix()).kvs.size(), 2u);
}

TEST_F(ClientTest, PrefixEndingInFfBytes) {
  Client client(Endpoint());
  const std::string p = Prefix() + "\xff\xff";
  client.Put(p + "x", "in");
  client.Put(Prefix() + "z", "out");  // below the prefix
  RangeResult got = client.GetPrefix(p);
  ASSERT_EQ(got.kvs.size(), 1u);
  EXPECT_EQ(got.kvs[0].value, "in");
}

// Runs a txn whose branches write different markers and read `key` once (success) or twice
// (failure), and checks that exactly the expected branch ran.
void ExpectBranch(Client& client, const std::string& key, const Compare& compare, bool expect_success) {
  const std::string marker = key + "/marker";
  TxnResult r = client.Txn({compare}, {Op::Put(marker, "success"), Op::Get(key)},
                           {Op::Put(marker, "failure"), Op::Get(key), Op::Get(key)});
  EXPECT_EQ(r.succeeded, expect_success);
  EXPECT_EQ(r.ranges.size(), expect_success ? 1u : 2u);
  EXPECT_GT(r.revision, 0);
  EXPECT_EQ(client.Get(marker).kvs.at(0).value, expect_success ? "success" : "failure");
}

TEST_F(ClientTest, TxnVersionCompare) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  client.Put(key, "v1");
  client.Put(key, "v2");  // version 2
  ExpectBranch(client, key, Compare::Version(key, R::kEqual, 2), true);
  ExpectBranch(client, key, Compare::Version(key, R::kEqual, 1), false);
  ExpectBranch(client, key, Compare::Version(key, R::kGreater, 1), true);
  ExpectBranch(client, key, Compare::Version(key, R::kLess, 2), false);
  ExpectBranch(client, key, Compare::Version(key, R::kNotEqual, 2), false);
  ExpectBranch(client, Prefix() + "missing", Compare::Version(Prefix() + "missing", R::kEqual, 0), true);
}

TEST_F(ClientTest, TxnCreateRevisionCompare) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  int64_t created = client.Put(key, "v1");
  client.Put(key, "v2");
  ExpectBranch(client, key, Compare::CreateRevision(key, R::kEqual, created), true);
  ExpectBranch(client, key, Compare::CreateRevision(key, R::kEqual, created + 1), false);
  ExpectBranch(client, key, Compare::CreateRevision(key, R::kLess, created + 1), true);
  ExpectBranch(client, key, Compare::CreateRevision(key, R::kEqual, 0), false);
  ExpectBranch(client, Prefix() + "missing", Compare::CreateRevision(Prefix() + "missing", R::kEqual, 0), true);
}

TEST_F(ClientTest, TxnModRevisionCompare) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  client.Put(key, "v1");
  int64_t modified = client.Put(key, "v2");
  ExpectBranch(client, key, Compare::ModRevision(key, R::kEqual, modified), true);
  ExpectBranch(client, key, Compare::ModRevision(key, R::kEqual, modified - 1), false);
  ExpectBranch(client, key, Compare::ModRevision(key, R::kGreater, modified), false);
  ExpectBranch(client, key, Compare::ModRevision(key, R::kNotEqual, modified - 1), true);
}

TEST_F(ClientTest, TxnValueCompare) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  client.Put(key, "v2");
  ExpectBranch(client, key, Compare::Value(key, R::kEqual, "v2"), true);
  ExpectBranch(client, key, Compare::Value(key, R::kEqual, "v1"), false);
  ExpectBranch(client, key, Compare::Value(key, R::kGreater, "v1"), true);
  ExpectBranch(client, key, Compare::Value(key, R::kNotEqual, "v2"), false);
  // etcd: comparing the value of a missing key is always false, even with "".
  ExpectBranch(client, Prefix() + "missing", Compare::Value(Prefix() + "missing", R::kEqual, ""), false);
}

TEST_F(ClientTest, TxnLeaseCompare) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  int64_t lease = client.LeaseGrant(30);
  client.Put(key, "v", lease);
  ExpectBranch(client, key, Compare::Lease(key, R::kEqual, lease), true);
  ExpectBranch(client, key, Compare::Lease(key, R::kEqual, 0), false);
  client.LeaseRevoke(lease);
}

TEST_F(ClientTest, TxnWithSeveralComparesNeedsAllAndReturnsRangesInOrder) {
  Client client(Endpoint());
  const std::string a = Prefix() + "a", b = Prefix() + "b";
  client.Put(a, "1");
  client.Put(b, "2");
  TxnResult r = client.Txn({Compare::Value(a, R::kEqual, "1"), Compare::Value(b, R::kEqual, "2")},
                           {Op::Get(b), Op::Delete(a), Op::Get(Prefix(), /*prefix=*/true)}, {});
  ASSERT_TRUE(r.succeeded);
  ASSERT_EQ(r.ranges.size(), 2u);
  EXPECT_EQ(r.ranges[0].kvs.at(0).value, "2");
  ASSERT_EQ(r.ranges[1].kvs.size(), 1u);  // the delete ran in between
  EXPECT_EQ(r.ranges[1].kvs[0].key, b);

  r = client.Txn({Compare::Value(b, R::kEqual, "2"), Compare::Version(a, R::kGreater, 0)}, {Op::Delete(b)},
                 {Op::Put(a, "again")});
  EXPECT_FALSE(r.succeeded);
  EXPECT_TRUE(r.ranges.empty());
  EXPECT_EQ(client.Get(a).kvs.at(0).value, "again");
  EXPECT_EQ(client.Get(b).kvs.size(), 1u);
}

TEST_F(ClientTest, LeaseGrantKeepAliveRevokeRemovesKeys) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  int64_t lease = client.LeaseGrant(30);
  EXPECT_NE(lease, 0);
  client.Put(key, "v", lease);
  EXPECT_EQ(client.Get(key).kvs.at(0).lease, lease);
  EXPECT_TRUE(client.LeaseKeepAlive(lease));

  client.LeaseRevoke(lease);
  EXPECT_TRUE(client.Get(key).kvs.empty());
  EXPECT_FALSE(client.LeaseKeepAlive(lease));
  EXPECT_NO_THROW(client.LeaseRevoke(lease));  // already gone: fine
}

TEST_F(ClientTest, KeyDisappearsWhenItsLeaseExpires) {
  Client client(Endpoint());
  const std::string key = Prefix() + "k";
  int64_t lease = client.LeaseGrant(1);
  client.Put(key, "v", lease);
  EXPECT_EQ(client.Get(key).kvs.size(), 1u);
  EXPECT_TRUE(WaitFor([&] { return client.Get(key).kvs.empty(); }, milliseconds(4000)));
  EXPECT_FALSE(client.LeaseKeepAlive(lease));
}

TEST_F(ClientTest, EtcdErrorsAreReportedAtOnce) {
  Client client(Endpoint(), milliseconds(3000));
  auto start = std::chrono::steady_clock::now();
  try {
    client.Put(Prefix() + "k", "v", /*lease=*/0x1234567);
    FAIL() << "put on an unknown lease succeeded";
  } catch (const EtcdError& e) {
    EXPECT_NE(std::string(e.what()).find("lease not found"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(Endpoint()), std::string::npos) << e.what();
  }
  EXPECT_LT(SecondsSince(start), 1.0);  // not retried until the timeout
}

TEST_F(ClientTest, ManyThreadsShareOneClient) {
  Client client(Endpoint());
  const std::string p = Prefix();
  constexpr int kThreads = 8, kPuts = 40;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPuts; ++i) {
        std::string key = p + std::to_string(t) + "/" + std::to_string(i);
        client.Put(key, key + "=v");
        if (client.Get(key).kvs.at(0).value != key + "=v") ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(client.GetPrefix(p).kvs.size(), static_cast<size_t>(kThreads * kPuts));
}

TEST_F(ClientTest, FailsOverToTheNextEndpoint) {
  Client client("http://127.0.0.1:" + std::to_string(DeadPort()) + "," + Endpoint(), milliseconds(3000));
  for (int i = 0; i < 5; ++i) client.Put(Prefix() + "k", std::to_string(i));
  EXPECT_EQ(client.Get(Prefix() + "k").kvs.at(0).value, "4");
  EXPECT_TRUE(client.WaitUntilReady(milliseconds(1000)));
}

TEST_F(ClientTest, ResolvesHostNames) {
  // localhost may resolve to ::1 first, where etcd does not listen: the next address must be tried.
  Client client("http://localhost:" + std::to_string(etcd_->ClientPort()), milliseconds(3000));
  client.Put(Prefix() + "k", "v");
  EXPECT_EQ(client.Get(Prefix() + "k").kvs.at(0).value, "v");
}

TEST_F(ClientTest, SurvivesEtcdRestartWithPooledConnections) {
  Client client(Endpoint(), milliseconds(5000));
  client.Put(Prefix() + "k", "before");
  etcd_->Stop();
  etcd_->Start();
  // Every pooled connection is dead now; the call must still succeed.
  EXPECT_EQ(client.Get(Prefix() + "k").kvs.at(0).value, "before");
  client.Put(Prefix() + "k", "after");
  EXPECT_EQ(client.Get(Prefix() + "k").kvs.at(0).value, "after");
}

TEST(ClientWithoutEtcd, GivesUpWithinTheTimeout) {
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(DeadPort());
  Client client(endpoint, milliseconds(300));
  auto start = std::chrono::steady_clock::now();
  try {
    client.Get("/k");
    FAIL() << "Get succeeded without etcd";
  } catch (const EtcdError& e) {
    EXPECT_NE(std::string(e.what()).find(endpoint), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("/v3/kv/range"), std::string::npos) << e.what();
  }
  double elapsed = SecondsSince(start);
  EXPECT_GE(elapsed, 0.25);  // it retried rather than failing on the first refusal
  EXPECT_LT(elapsed, 1.0);

  start = std::chrono::steady_clock::now();
  EXPECT_FALSE(client.WaitUntilReady(milliseconds(300)));
  EXPECT_LT(SecondsSince(start), 1.0);
}

TEST(ClientWithoutEtcd, GivesUpOnAServerThatNeverAnswers) {
  // A socket that listens but never accepts: connecting works (the kernel's backlog), answers never come.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  Client client("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), milliseconds(400));
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(client.Get("/k"), EtcdError);
  double elapsed = SecondsSince(start);
  EXPECT_GE(elapsed, 0.35);
  EXPECT_LT(elapsed, 1.2);
  ::close(fd);
}

TEST(ClientWithoutEtcd, RejectsMalformedEndpoints) {
  EXPECT_THROW(Client(""), EtcdError);
  EXPECT_THROW(Client(" , "), EtcdError);
  EXPECT_THROW(Client("https://127.0.0.1:2379"), EtcdError);
  EXPECT_THROW(Client("http://127.0.0.1"), EtcdError);
  EXPECT_THROW(Client("http://127.0.0.1:port"), EtcdError);
  Client ok("http://127.0.0.1:2379, http://localhost:2380/");
  EXPECT_EQ(ok.Endpoints(), "http://127.0.0.1:2379, http://localhost:2380/");
}

}  // namespace
}  // namespace tessera::cluster::etcd::testing
