// Watcher: delivers puts and deletes under its prefix in order, from a given revision or from
// now; resumes after an etcd restart without losing or repeating events; resets on compaction;
// stops promptly.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "cluster/etcd/etcd_client.h"
#include "tests/unit/cluster_etcd/etcd_test_support.h"

namespace tessera::cluster::etcd::testing {
namespace {

using std::chrono::milliseconds;

// Collects what a Watcher delivers, as "put <key-suffix>=<value>" / "delete <key-suffix>".
class Recorder {
 public:
  explicit Recorder(std::string prefix) : prefix_(std::move(prefix)) {}

  Watcher::EventsFn Callback() {
    return [this](const std::vector<WatchEvent>& events, int64_t revision) {
      std::lock_guard lock(mu_);
      for (const auto& e : events) {
        std::string name = e.kv.key.substr(prefix_.size());
        lines_.push_back(e.type == WatchEvent::Type::kPut ? "put " + name + "=" + e.kv.value : "delete " + name);
        if (e.kv.mod_revision <= last_revision_) out_of_order_ = true;
        last_revision_ = e.kv.mod_revision;
      }
      if (revision != events.back().kv.mod_revision) bad_batch_revision_ = true;
    };
  }

  std::vector<std::string> Lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }
  size_t Count() const { return Lines().size(); }
  bool OutOfOrder() const {
    std::lock_guard lock(mu_);
    return out_of_order_;
  }
  bool BadBatchRevision() const {
    std::lock_guard lock(mu_);
    return bad_batch_revision_;
  }

 private:
  std::string prefix_;
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
  int64_t last_revision_ = 0;
  bool out_of_order_ = false;
  bool bad_batch_revision_ = false;
};

class WatcherTest : public EtcdSuite {};

TEST_F(WatcherTest, SeesPutsAndDeletesUnderThePrefixInOrder) {
  Client client(Endpoint());
  const std::string p = Prefix();
  Recorder recorder(p);
  int64_t from = client.Get(p).revision + 1;
  Watcher watcher(Endpoint(), p, from, recorder.Callback());

  client.Put(p + "a", "1");
  client.Put(p + "b", "2");
  client.Put(p + "a", "3");
  client.Put(p.substr(0, p.size() - 1) + "X", "outside");  // shares all but the last byte
  client.Delete(p + "b");
  client.Txn({}, {Op::Put(p + "c", "4"), Op::Delete(p + "a")}, {});  // two events, one revision

  std::vector<std::string> expected = {"put a=1", "put b=2", "put a=3", "delete b", "put c=4", "delete a"};
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() >= expected.size(); }));
  std::this_thread::sleep_for(milliseconds(100));  // nothing more may come
  EXPECT_EQ(recorder.Lines(), expected);
  EXPECT_FALSE(recorder.BadBatchRevision());
}

TEST_F(WatcherTest, StartRevisionReplaysHistory) {
  Client client(Endpoint());
  const std::string p = Prefix();
  int64_t first = client.Put(p + "a", "1");
  client.Put(p + "a", "2");
  client.Delete(p + "a");
  Recorder recorder(p);
  Watcher watcher(Endpoint(), p, first + 1, recorder.Callback());
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() >= 2; }));
  client.Put(p + "b", "3");
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() >= 3; }));
  EXPECT_EQ(recorder.Lines(), (std::vector<std::string>{"put a=2", "delete a", "put b=3"}));
  EXPECT_FALSE(recorder.OutOfOrder());
}

TEST_F(WatcherTest, RevisionZeroWatchesFromNow) {
  Client client(Endpoint());
  const std::string p = Prefix();
  client.Put(p + "old", "1");
  Recorder recorder(p);
  Watcher watcher(Endpoint(), p, 0, recorder.Callback());
  std::this_thread::sleep_for(milliseconds(300));  // let the watch be created
  client.Put(p + "new", "2");
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() >= 1; }));
  EXPECT_EQ(recorder.Lines(), (std::vector<std::string>{"put new=2"}));
}

TEST_F(WatcherTest, CompactedStartCallsResetThenContinuesFromNow) {
  Client client(Endpoint());
  const std::string p = Prefix();
  int64_t first = client.Put(p + "a", "1");
  int64_t second = client.Put(p + "a", "2");
  client.Compact(second);

  Recorder recorder(p);
  std::atomic<int> resets{0};
  Watcher watcher(Endpoint(), p, first, recorder.Callback(), [&] { ++resets; });
  ASSERT_TRUE(WaitFor([&] { return resets.load() == 1; }));
  client.Put(p + "a", "3");
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() >= 1; }));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(recorder.Lines(), (std::vector<std::string>{"put a=3"}));
  EXPECT_EQ(resets.load(), 1);
}

TEST_F(WatcherTest, DestructorIsPrompt) {
  Recorder recorder(Prefix());
  auto start = std::chrono::steady_clock::now();
  {
    Watcher watcher(Endpoint(), Prefix(), 0, recorder.Callback());
    std::this_thread::sleep_for(milliseconds(150));  // inside a long-lived stream read
    start = std::chrono::steady_clock::now();
  }
  EXPECT_LT(SecondsSince(start), 0.5);
  {
    Watcher watcher("http://127.0.0.1:" + std::to_string(DeadPort()), Prefix(), 0, recorder.Callback());
    std::this_thread::sleep_for(milliseconds(400));  // inside the reconnect back-off
    start = std::chrono::steady_clock::now();
  }
  EXPECT_LT(SecondsSince(start), 0.5);
}

TEST(WatcherEtcdRestarts, ResumesAfterTheLastDeliveredRevision) {
  tessera::testing::EtcdProcess etcd;
  Client client(etcd.Endpoint());
  const std::string p = "/watch-restart/";
  Recorder recorder(p);
  int64_t from = client.Get(p).revision + 1;
  Watcher watcher(etcd.Endpoint(), p, from, recorder.Callback());
  client.Put(p + "a", "1");
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() == 1; }));

  etcd.Stop();
  std::this_thread::sleep_for(milliseconds(300));  // the watcher notices and backs off
  etcd.Start();
  // Written before the watcher is back: it must resume from its revision, not from "now".
  client.Put(p + "b", "2");
  client.Delete(p + "a");
  ASSERT_TRUE(WaitFor([&] { return recorder.Count() >= 3; }));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(recorder.Lines(), (std::vector<std::string>{"put a=1", "put b=2", "delete a"}));
  EXPECT_FALSE(recorder.OutOfOrder());
}

}  // namespace
}  // namespace tessera::cluster::etcd::testing
