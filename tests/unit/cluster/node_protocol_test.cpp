#include <gtest/gtest.h>

#include "cluster/common/node_protocol.h"
#include "common/error.h"

namespace tessera::cluster {
namespace {

TEST(NodeProtocolTest, ExecuteRequestRoundTrips) {
  ExecuteRequest r;
  r.txn.txn_id = "gw-7";
  r.txn.snapshot_ts = 123456789;
  r.txn.isolation = 1;
  r.txn.lock_timeout_ms = 2500;
  r.txn.statement = 4;
  r.txn.keep_undo = true;
  r.fragment_request = std::string("\x00\x01\xff", 3);
  r.format.date_style = DateStyle::kGerman;
  r.format.date_order = DateOrder::kDmy;
  r.format.time_zone = "Europe/Paris";
  r.format.extra_float_digits = 3;
  r.statement_timestamp = -5;
  r.transaction_timestamp = 77;
  r.commit_now = true;
  ExecuteRequest back = Decode<ExecuteRequest>(Encode(r));
  EXPECT_EQ(back.txn.txn_id, "gw-7");
  EXPECT_EQ(back.txn.snapshot_ts, 123456789u);
  EXPECT_EQ(back.txn.isolation, 1);
  EXPECT_EQ(back.txn.lock_timeout_ms, 2500);
  EXPECT_EQ(back.txn.statement, 4u);
  EXPECT_TRUE(back.txn.keep_undo);
  EXPECT_EQ(back.fragment_request, r.fragment_request);
  EXPECT_EQ(back.format.date_style, DateStyle::kGerman);
  EXPECT_EQ(back.format.date_order, DateOrder::kDmy);
  EXPECT_EQ(back.format.time_zone, "Europe/Paris");
  EXPECT_EQ(back.format.extra_float_digits, 3);
  EXPECT_EQ(back.statement_timestamp, -5);
  EXPECT_EQ(back.transaction_timestamp, 77);
  EXPECT_TRUE(back.commit_now);
}

TEST(NodeProtocolTest, KvAndTxnMessagesRoundTrip) {
  KvRequest kv;
  kv.op = KvRequest::Op::kScan;
  kv.key = "a";
  kv.end_key = "b";
  KvRequest kv_back = Decode<KvRequest>(Encode(kv));
  EXPECT_EQ(kv_back.op, KvRequest::Op::kScan);
  EXPECT_EQ(kv_back.key, "a");
  EXPECT_EQ(kv_back.end_key, "b");

  KvResponse pairs;
  pairs.pairs = {{"k1", "v1"}, {"k2", ""}};
  EXPECT_EQ(Decode<KvResponse>(Encode(pairs)).pairs, pairs.pairs);

  TxnRequest txn;
  txn.txn_id = "t-1";
  txn.commit_ts = 99;
  txn.write_record = true;
  txn.coordinator = "2";
  TxnRequest txn_back = Decode<TxnRequest>(Encode(txn));
  EXPECT_EQ(txn_back.txn_id, "t-1");
  EXPECT_EQ(txn_back.commit_ts, 99u);
  EXPECT_TRUE(txn_back.write_record);
  EXPECT_EQ(txn_back.coordinator, "2");
  EXPECT_EQ(txn_back.after_statement, 0u);
  TxnRequest rollback_to;
  rollback_to.txn_id = "t-2";
  rollback_to.after_statement = 17;
  EXPECT_EQ(Decode<TxnRequest>(Encode(rollback_to)).after_statement, 17u);
  EXPECT_FALSE(Decode<ExecuteRequest>(Encode(ExecuteRequest{})).txn.keep_undo);

  TxnStatusResponse record{TxnStatusResponse::State::kCommitted, 42};
  TxnStatusResponse record_back = DecodeTxnRecord(EncodeTxnRecord(record));
  EXPECT_EQ(record_back.state, TxnStatusResponse::State::kCommitted);
  EXPECT_EQ(record_back.commit_ts, 42u);

  EXPECT_EQ(Decode<TimestampResponse>(Encode(TimestampResponse{uint64_t{1} << 40})).first, uint64_t{1} << 40);
}

TEST(NodeProtocolTest, CorruptBytesAreAnError) {
  std::string bytes = Encode(KvRequest{});
  EXPECT_THROW(Decode<KvRequest>(bytes.substr(0, bytes.size() - 1)), SqlError);
  EXPECT_THROW(Decode<ExecuteRequest>(std::string("\x0a\x01\xff\xff\xff", 5)), SqlError);
}

}  // namespace
}  // namespace tessera::cluster
