// The primary's in-sync bookkeeping (cluster/replication/in_sync_tracker.h)
// and the replication messages (replication_protocol.h).
#include <gtest/gtest.h>

#include "cluster/replication/group_membership.h"
#include "cluster/replication/in_sync_tracker.h"
#include "cluster/replication/replication_protocol.h"
#include "common/error.h"

namespace tessera::cluster::replication {
namespace {

TEST(InSyncTracker, ACommitWaitsForEveryMember) {
  InSyncTracker t;
  t.SetMembers({"b1", "b2"});
  EXPECT_FALSE(t.Replicated(5));
  t.Acked("b1", 5);
  EXPECT_FALSE(t.Replicated(5));
  EXPECT_EQ(t.Missing(5), std::vector<std::string>{"b2"});
  t.Acked("b2", 7);
  EXPECT_TRUE(t.Replicated(5));
  EXPECT_TRUE(t.Replicated(7) == false);  // b1 is at 5
  EXPECT_EQ(t.Released(), 5u);
}

TEST(InSyncTracker, WithoutMembersEveryCommitIsReplicatedAtOnce) {
  InSyncTracker t;
  EXPECT_TRUE(t.Replicated(3));
  EXPECT_EQ(t.Released(), 3u);
}

TEST(InSyncTracker, AcknowledgementsNeverGoBack) {
  InSyncTracker t;
  t.SetMembers({"b"});
  t.Acked("b", 9);
  t.Acked("b", 4);  // a late answer to an older call
  EXPECT_EQ(t.AckedBy("b"), 9u);
  EXPECT_TRUE(t.Replicated(9));
}

TEST(InSyncTracker, ADroppedMemberNoLongerHoldsCommitsBack) {
  InSyncTracker t;
  t.SetMembers({"slow"});
  EXPECT_FALSE(t.Replicated(2));
  t.Remove("slow");  // after etcd recorded the smaller set
  EXPECT_TRUE(t.Replicated(2));
}

TEST(InSyncTracker, ABackupJoinsOnlyWithEveryAcknowledgedCommit) {
  InSyncTracker t;
  EXPECT_TRUE(t.Replicated(10));  // acknowledged with no backup in sync
  t.Acked("late", 8);
  EXPECT_FALSE(t.TryAdd("late"));  // it lacks 9 and 10
  EXPECT_FALSE(t.IsMember("late"));
  t.Acked("late", 10);
  EXPECT_TRUE(t.TryAdd("late"));
  EXPECT_TRUE(t.IsMember("late"));
  EXPECT_FALSE(t.Replicated(11));  // from now on commits wait for it
  t.Acked("late", 11);
  EXPECT_TRUE(t.Replicated(11));
}

TEST(InSyncTracker, AnUnknownBackupCannotJoin) {
  InSyncTracker t;
  EXPECT_FALSE(t.TryAdd("never-acked"));
}

TEST(InSyncTracker, ForgettingKeepsMembersAcknowledgements) {
  InSyncTracker t;
  t.SetMembers({"m"});
  t.Acked("m", 3);
  t.Acked("other", 3);
  t.Forget("m");      // still a member: its position stays
  t.Forget("other");  // gone
  EXPECT_EQ(t.AckedBy("m"), 3u);
  EXPECT_FALSE(t.AckedBy("other").has_value());
}

TEST(ReplicationProtocol, RequestsRoundTripWithTheirRecordsInOrder) {
  ReplicateRequest r{7, "node-a", {{5, "rec5"}, {6, std::string("\0\1", 2)}, {7, ""}}, "backup-b"};
  ReplicateRequest back = DecodeReplicateRequest(EncodeReplicate(r));
  EXPECT_EQ(back.epoch, 7u);
  EXPECT_EQ(back.primary, "node-a");
  EXPECT_EQ(back.records, r.records);
  EXPECT_EQ(back.backup, "backup-b");
  ReplicateResponse answer = DecodeReplicateResponse(EncodeReplicate(ReplicateResponse{42, 0xfeedface12345678ull}));
  EXPECT_EQ(answer.applied, 42u);
  EXPECT_EQ(answer.last_hash, 0xfeedface12345678ull);
  EXPECT_THROW(DecodeReplicateRequest(std::string("\x03", 1)), SqlError);
}

TEST(GroupMembership, RecordsRoundTripAndMalformedOnesAreRefused) {
  PrimaryRecord p{"n1", "127.0.0.1:5", 3};
  auto back = PrimaryRecord::FromJson(p.ToJson());
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->node, "n1");
  EXPECT_EQ(back->epoch, 3u);
  EXPECT_FALSE(PrimaryRecord::FromJson("{}").has_value());
  EXPECT_FALSE(PrimaryRecord::FromJson("not json").has_value());
  InSyncSet s{4, {"a", "b"}};
  InSyncSet sb = InSyncSet::FromJson(s.ToJson());
  EXPECT_EQ(sb.epoch, 4u);
  EXPECT_EQ(sb.members, s.members);
  EXPECT_TRUE(InSyncSet::FromJson("garbage").members.empty());
}

}  // namespace
}  // namespace tessera::cluster::replication
