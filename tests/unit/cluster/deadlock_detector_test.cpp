#include "cluster/storage_node/deadlock_detector.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tessera::cluster {
namespace {

std::vector<std::string> Victims(const std::vector<ObservedWait>& waits) {
  auto victims = ChooseDeadlockVictims(waits, 1000);
  std::sort(victims.begin(), victims.end());
  return victims;
}

TEST(DeadlockDetectorTest, BreaksATwoNodeCycleAtItsYoungestWait) {
  EXPECT_EQ(Victims({{0, "t1", "t2", 1500}, {1, "t2", "t1", 1200}}), std::vector<std::string>{"t2"});
  EXPECT_EQ(Victims({{0, "t1", "t2", 1100}, {1, "t2", "t1", 3000}}), std::vector<std::string>{"t1"});
}

TEST(DeadlockDetectorTest, LeavesYoungWaitsAndChainsAlone) {
  EXPECT_TRUE(Victims({{0, "t1", "t2", 1500}, {1, "t2", "t1", 999}}).empty());
  EXPECT_TRUE(Victims({{0, "t1", "t2", 5000}, {1, "t2", "t3", 5000}, {2, "t3", "t4", 5000}}).empty());
  EXPECT_TRUE(Victims({}).empty());
}

TEST(DeadlockDetectorTest, LongerCyclesAndSeveralCycles) {
  EXPECT_EQ(Victims({{0, "a", "b", 4000}, {1, "b", "c", 3000}, {2, "c", "a", 2000}}), std::vector<std::string>{"c"});
  EXPECT_EQ(Victims({{0, "a", "b", 4000}, {1, "b", "a", 3000}, {1, "x", "y", 2000}, {2, "y", "x", 5000}}),
            (std::vector<std::string>{"b", "x"}));
}

// A transaction can wait on several nodes at once (a statement fanned out);
// only the cycle counts, and the victim's waits all go.
TEST(DeadlockDetectorTest, WaiterOnSeveralNodes) {
  EXPECT_EQ(Victims({{0, "t1", "t2", 1500}, {1, "t1", "t3", 1600}, {2, "t3", "t1", 1700}}),
            std::vector<std::string>{"t1"});
  // Both cycles go through t1: failing it breaks both.
  EXPECT_EQ(Victims({{0, "t1", "t2", 1100}, {1, "t2", "t1", 5000}, {1, "t1", "t3", 1200}, {2, "t3", "t1", 5000}}),
            std::vector<std::string>{"t1"});
}

}  // namespace
}  // namespace tessera::cluster
