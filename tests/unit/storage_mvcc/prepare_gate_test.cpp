// The prepare gate's decisions, without threads or LMDB: which snapshots must
// wait for which prepared transactions, what "latest" resolves to, the
// commit-ts floor, and the GC horizon.
#include "storage/mvcc/prepare_gate.h"

#include <gtest/gtest.h>

namespace tessera::storage::mvcc {
namespace {

TEST(PrepareGateTest, SnapshotWaitsOnlyForTransactionsPreparedBeforeIt) {
  PrepareGate gate(10, kNoTimestamp);
  SnapshotRequest early = gate.RequestSnapshot(50);
  PrepareTicket t = *gate.Prepare("t");
  EXPECT_TRUE(gate.Ready(early));  // t prepared after: its C will be above 50
  SnapshotRequest late = gate.RequestSnapshot(60);
  EXPECT_FALSE(gate.Ready(late));  // t may still commit below 60 (its floor is 50)
  SnapshotRequest low = gate.RequestSnapshot(50);
  EXPECT_TRUE(gate.Ready(low));  // at or below t's floor: C > 50 anyway
  gate.Leave(t);
  EXPECT_TRUE(gate.Ready(late));
}

TEST(PrepareGateTest, AnnouncedCommitAboveTheSnapshotEndsTheWait) {
  PrepareGate gate(10, kNoTimestamp);
  PrepareTicket t = *gate.Prepare("t");
  SnapshotRequest at50 = gate.RequestSnapshot(50);
  SnapshotRequest at70 = gate.RequestSnapshot(70);
  gate.BeginCommit(t, 60);
  EXPECT_TRUE(gate.Ready(at50));   // 60 is not visible at 50 anyway
  EXPECT_FALSE(gate.Ready(at70));  // 60 must land first
  gate.FinishCommit(t, true);
  EXPECT_TRUE(gate.Ready(at70));
  EXPECT_EQ(gate.MaxCommitted(), 60u);
}

// A wait past prepare_wait goes on only for commits already landing.
TEST(PrepareGateTest, TellsLandingCommitsFromUndecidedOnes) {
  PrepareGate gate(10, kNoTimestamp);
  PrepareTicket landing = *gate.Prepare("landing");
  PrepareTicket undecided = *gate.Prepare("undecided");
  SnapshotRequest at70 = gate.RequestSnapshot(70);
  gate.BeginCommit(landing, 60);
  EXPECT_FALSE(gate.Ready(at70));
  EXPECT_FALSE(gate.OnlyLandingsPending(at70));  // "undecided" may wait on a dead gateway
  gate.Leave(undecided);
  EXPECT_FALSE(gate.Ready(at70));
  EXPECT_TRUE(gate.OnlyLandingsPending(at70));
  PrepareTicket later = *gate.Prepare("later");  // after the request: not waited for
  EXPECT_TRUE(gate.OnlyLandingsPending(at70));
  gate.FinishCommit(landing, true);
  EXPECT_TRUE(gate.Ready(at70));
  gate.Leave(later);
}

TEST(PrepareGateTest, LatestIsResolvedAtRequestFromKnownCommits) {
  PrepareGate gate(10, kNoTimestamp);
  PrepareTicket a = *gate.Prepare("a");
  PrepareTicket b = *gate.Prepare("b");
  gate.BeginCommit(a, 20);  // in flight: known, issued before the next request
  SnapshotRequest latest = gate.RequestSnapshot(kNoTimestamp);
  EXPECT_EQ(latest.ts, 20u);
  EXPECT_FALSE(gate.Ready(latest));  // waits for a (in flight at 20) and b (unknown C)
  gate.FinishCommit(a, true);
  EXPECT_FALSE(gate.Ready(latest));
  gate.BeginCommit(b, 30);  // above the resolved latest: not waited for any more
  EXPECT_TRUE(gate.Ready(latest));
  EXPECT_EQ(gate.Latest(), 30u);
}

TEST(PrepareGateTest, FloorIsTheHighestSnapshotRequestedBeforePrepare) {
  PrepareGate gate(10, kNoTimestamp);
  gate.RequestSnapshot(40);
  gate.RequestSnapshot(25);
  PrepareTicket t = *gate.Prepare("t");
  gate.RequestSnapshot(90);  // after the prepare: it waits for t instead
  EXPECT_EQ(gate.Floor(t), 40u);
  // A recovered transaction brings its persisted floor.
  PrepareTicket r = *gate.Prepare("r", 95);
  EXPECT_EQ(gate.Floor(r), 95u);
}

TEST(PrepareGateTest, FailedCommitRaisesTheFloor) {
  PrepareGate gate(10, kNoTimestamp);
  PrepareTicket t = *gate.Prepare("t");
  SnapshotRequest at50 = gate.RequestSnapshot(50);
  gate.BeginCommit(t, 60);
  EXPECT_TRUE(gate.Ready(at50));  // this reader went on without t
  gate.AbortCommit(t);
  EXPECT_EQ(gate.Floor(t), 59u);  // so a retry must not go below 60
}

TEST(PrepareGateTest, ReadsWaitOnlyForPendingWritesInTheirSpan) {
  PrepareGate gate(10, kNoTimestamp);
  WriteSet writes;
  writes.emplace("k", "v");
  writes.emplace("m", std::nullopt);  // a delete counts as much as a put
  PrepareTicket t = *gate.Prepare("t", kNoTimestamp, &writes, KeySpace::kData);
  SnapshotRequest at50 = gate.RequestSnapshot(50);
  EXPECT_TRUE(at50.pending);
  auto point = [](std::string_view key, KeySpace space = KeySpace::kData) {
    ReadSpan span;
    span.space = space;
    span.start = key;
    span.point = true;
    return span;
  };
  auto range = [](std::string_view start, std::string_view end) {
    ReadSpan span;
    span.start = start;
    span.end = end;
    return span;
  };
  EXPECT_FALSE(gate.ReadyFor(at50, point("k")));
  EXPECT_FALSE(gate.ReadyFor(at50, point("m")));
  EXPECT_TRUE(gate.ReadyFor(at50, point("j")));
  EXPECT_TRUE(gate.ReadyFor(at50, point("kk")));
  EXPECT_TRUE(gate.ReadyFor(at50, point("k", KeySpace::kMeta)));  // another key space
  EXPECT_FALSE(gate.ReadyFor(at50, range("a", "z")));
  EXPECT_FALSE(gate.ReadyFor(at50, range("l", "")));  // no upper bound: m is inside
  EXPECT_TRUE(gate.ReadyFor(at50, range("a", "k")));  // the end is exclusive
  EXPECT_TRUE(gate.ReadyFor(at50, range("ka", "m")));
  EXPECT_TRUE(gate.ReadyFor(at50, range("n", "")));
  EXPECT_FALSE(gate.OnlyLandingsPending(at50, point("k")));
  EXPECT_TRUE(gate.OnlyLandingsPending(at50, point("j")));
  gate.BeginCommit(t, 40);  // landing below the snapshot: still waited for
  EXPECT_FALSE(gate.ReadyFor(at50, point("k")));
  EXPECT_TRUE(gate.OnlyLandingsPending(at50, point("k")));
  gate.FinishCommit(t, true);
  EXPECT_TRUE(gate.ReadyFor(at50, point("k")));
  EXPECT_TRUE(gate.Ready(at50));
}

TEST(PrepareGateTest, DuplicateExternalIdIsRefusedWhilePrepared) {
  PrepareGate gate(10, kNoTimestamp);
  PrepareTicket t = *gate.Prepare("t");
  EXPECT_FALSE(gate.Prepare("t").has_value());
  EXPECT_TRUE(gate.Prepare("").has_value());  // anonymous single-node prepares never clash
  EXPECT_TRUE(gate.Prepare("").has_value());
  gate.Leave(t);
  EXPECT_TRUE(gate.Prepare("t").has_value());
}

TEST(PrepareGateTest, GcHorizonAndTooOld) {
  PrepareGate gate(100, kNoTimestamp);
  EXPECT_EQ(gate.TakeGcHorizon(), 100u);  // nothing open: the newest commit
  SnapshotRequest old = gate.RequestSnapshot(40);
  gate.RegisterSnapshot(30);  // a recovered prepared transaction's
  EXPECT_EQ(gate.TakeGcHorizon(), 30u);
  gate.CloseSnapshot(30);
  EXPECT_EQ(gate.TakeGcHorizon(), 40u);
  gate.CloseSnapshot(old.ts);
  gate.SetSafePoint(70);
  EXPECT_EQ(gate.TakeGcHorizon(), 70u);
  // The floor is the highest horizon used (100), not the last.
  EXPECT_TRUE(gate.TooOld(99));
  EXPECT_FALSE(gate.TooOld(100));
  EXPECT_FALSE(gate.TooOld(kNoTimestamp));  // latest is never too old
}

}  // namespace
}  // namespace tessera::storage::mvcc
