// The frame format of frame.h, byte by byte: header layout, the checks a
// receiver makes before allocating, and the kError payload.
#include "cluster/transport/frame.h"

#include <gtest/gtest.h>

namespace tessera::cluster::transport {
namespace {

TEST(FrameTest, HeaderLayoutIsBigEndianAsDocumented) {
  const std::string frame = EncodeFrame(FrameKind::kChunk, 0x0102, 0x0a0b0c0d0e0f1011ULL, "xyz");
  ASSERT_EQ(frame.size(), kFrameHeaderSize + 3);
  const std::string expected_header(
      "\x00\x00\x00\x0f"                   // length of the rest: 12 + 3
      "\x01"                               // version
      "\x02"                               // kind: chunk
      "\x01\x02"                           // method
      "\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11",  // request id
      16);
  EXPECT_EQ(frame.substr(0, 16), expected_header);
  EXPECT_EQ(frame.substr(16), "xyz");

  FrameHeader header;
  ASSERT_EQ(DecodeFrameHeader(frame.data(), header), FrameCheck::kOk);
  EXPECT_EQ(header.kind, FrameKind::kChunk);
  EXPECT_EQ(header.method, 0x0102);
  EXPECT_EQ(header.request_id, 0x0a0b0c0d0e0f1011ULL);
  EXPECT_EQ(header.payload_size, 3u);
}

TEST(FrameTest, RefusesOtherVersionsKindsAndLengths) {
  std::string frame = EncodeFrame(FrameKind::kRequest, 1, 1, "");
  FrameHeader header;
  ASSERT_EQ(DecodeFrameHeader(frame.data(), header), FrameCheck::kOk);
  EXPECT_EQ(header.payload_size, 0u);

  std::string bad = frame;
  bad[4] = 2;
  EXPECT_EQ(DecodeFrameHeader(bad.data(), header), FrameCheck::kBadVersion);

  bad = frame;
  bad[5] = 0;
  EXPECT_EQ(DecodeFrameHeader(bad.data(), header), FrameCheck::kBadKind);
  bad[5] = 6;
  EXPECT_EQ(DecodeFrameHeader(bad.data(), header), FrameCheck::kBadKind);

  bad = frame;
  bad[3] = 11;  // shorter than the rest of the header
  EXPECT_EQ(DecodeFrameHeader(bad.data(), header), FrameCheck::kTooShort);

  bad = frame;
  bad.replace(0, 4, std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(DecodeFrameHeader(bad.data(), header), FrameCheck::kTooLong);

  // Exactly 256 MiB in all is the largest frame accepted.
  const auto largest = EncodeFrameHeader(FrameKind::kEnd, 0, 0, kMaxPayloadSize);
  EXPECT_EQ(DecodeFrameHeader(largest.data(), header), FrameCheck::kOk);
  EXPECT_EQ(header.payload_size, kMaxPayloadSize);
  const auto too_large = EncodeFrameHeader(FrameKind::kEnd, 0, 0, kMaxPayloadSize + 1);
  EXPECT_EQ(DecodeFrameHeader(too_large.data(), header), FrameCheck::kTooLong);
}

TEST(FrameTest, ErrorPayloadCarriesSqlstateAndMessage) {
  const SqlError error = DecodeErrorPayload(EncodeErrorPayload("23505", "duplicate key"));
  EXPECT_EQ(error.Sqlstate(), "23505");
  EXPECT_EQ(error.Message(), "duplicate key");
  EXPECT_EQ(EncodeErrorPayload("42", "m"), "42000m");  // always 5 bytes of SQLSTATE
  EXPECT_EQ(DecodeErrorPayload("abc").Sqlstate(), "XX000");
}

TEST(FrameTest, ErrorPayloadCarriesTheObjectFields) {
  SqlError sent = SqlError(sqlstate::kNotNullViolation, "null value", "Failing row contains (null).")
                      .WithTable("public", "t")
                      .WithColumn("c");
  const SqlError got = DecodeErrorPayload(EncodeErrorPayload(sent));
  EXPECT_EQ(got.Detail(), "Failing row contains (null).");
  EXPECT_EQ(got.Object().schema, "public");
  EXPECT_EQ(got.Object().table, "t");
  EXPECT_EQ(got.Object().column, "c");
  EXPECT_EQ(got.Object().constraint, "");
  const SqlError unique = DecodeErrorPayload(EncodeErrorPayload(
      SqlError::UniqueViolation("t_pkey", "Key (id)=(1) already exists.").WithTable("public", "t").WithConstraint("t_pkey")));
  EXPECT_EQ(unique.Object().constraint, "t_pkey");
  EXPECT_EQ(unique.Object().column, "");
  // An error with no fields beyond its message costs no separators.
  EXPECT_EQ(EncodeErrorPayload(SqlError("42P01", "m")), "42P01m");
}

}  // namespace
}  // namespace tessera::cluster::transport
