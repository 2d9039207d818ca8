#include <gtest/gtest.h>

#include "cluster/transport/frame.h"
#include "common/error.h"

namespace tessera::cluster::transport {
namespace {

// A storage node's error reaches the client with every field, as from one node.
TEST(ErrorPayloadTest, CarriesDetailHintAndContext) {
  SqlError error("23505", "duplicate key value violates unique constraint \"t_pkey\"", "Key (id)=(1) already exists.",
                 "a hint");
  error.WithContext("COPY t, line 2");
  SqlError back = DecodeErrorPayload(EncodeErrorPayload(error));
  EXPECT_EQ(back.Sqlstate(), "23505");
  EXPECT_EQ(back.Message(), error.Message());
  EXPECT_EQ(back.Detail(), "Key (id)=(1) already exists.");
  EXPECT_EQ(back.Hint(), "a hint");
  EXPECT_EQ(back.Context(), "COPY t, line 2");
}

TEST(ErrorPayloadTest, PlainErrorsStayPlain) {
  SqlError back = DecodeErrorPayload(EncodeErrorPayload(SqlError("42P01", "relation \"x\" does not exist")));
  EXPECT_EQ(back.Sqlstate(), "42P01");
  EXPECT_EQ(back.Message(), "relation \"x\" does not exist");
  EXPECT_TRUE(back.Detail().empty());
  EXPECT_EQ(DecodeErrorPayload("42").Sqlstate(), "XX000");
}

}  // namespace
}  // namespace tessera::cluster::transport
