// NodeDirectory against a real etcd: a node that registers right after the
// directory was built (before its watch has connected) is not missed. The
// deadlock detector asks All() for every node and never re-reads etcd, so a
// missed registration used to leave cross-node deadlocks to the lock timeout.
#include "cluster/common/node_directory.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "cluster/common/etcd_keys.h"
#include "tests/unit/cluster_etcd/etcd_process.h"

namespace tessera::cluster {
namespace {

class NodeDirectoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { etcd_ = std::make_unique<tessera::testing::EtcdProcess>(); }
  static void TearDownTestSuite() { etcd_.reset(); }
  static inline std::unique_ptr<tessera::testing::EtcdProcess> etcd_;
};

bool Lists(NodeDirectory& directory, int group, const std::string& address) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline) {
    auto all = directory.All();
    auto it = all.find(group);
    if (it != all.end() && it->second.address == address) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST_F(NodeDirectoryTest, SeesARegistrationMadeWhileItsWatchConnects) {
  etcd::Client client(etcd_->Endpoint());
  // Several rounds: each puts a registration the moment the directory exists.
  for (int group = 0; group < 10; ++group) {
    NodeDirectory directory(client);
    std::string address = "127.0.0.1:" + std::to_string(20000 + group);
    client.Put(keys::Node(group), NodeRegistration(group, address));
    EXPECT_TRUE(Lists(directory, group, address)) << "group " << group << " registered after the first read";
  }
}

TEST_F(NodeDirectoryTest, FollowsAReRegistrationAndADeletion) {
  etcd::Client client(etcd_->Endpoint());
  client.Put(keys::Node(40), NodeRegistration(40, "127.0.0.1:1"));
  NodeDirectory directory(client);
  ASSERT_TRUE(Lists(directory, 40, "127.0.0.1:1"));
  client.Put(keys::Node(40), NodeRegistration(40, "127.0.0.1:2"));  // a new primary
  EXPECT_TRUE(Lists(directory, 40, "127.0.0.1:2"));
  client.Delete(keys::Node(40));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (directory.All().count(40) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(directory.All().count(40), 0u);
}

}  // namespace
}  // namespace tessera::cluster
