// A big message takes its bytes from the server's memory pool as soon as
// its length is known (wire/framer.h, Framer::kReservedMessage): past the
// pool the framer throws 53200 before any of the body arrives, and the
// bytes go back once the message is gone.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/memory_account.h"
#include "wire/framer.h"

namespace tessera::wire {
namespace {

std::string Header(char type, uint32_t body_size) {
  std::string out(1, type);
  uint32_t len = body_size + 4;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((len >> shift) & 0xff));
  return out;
}

std::string Startup() {
  std::string params = std::string("user") + '\0' + "u" + '\0' + '\0';
  std::string out;
  auto put32 = [&out](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  };
  put32(static_cast<uint32_t>(8 + params.size()));
  put32(static_cast<uint32_t>(kProtocolVersion3));
  return out + params;
}

class FramerMemoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_limit_ = MemoryPool::Server().Limit();
    MemoryPool::Server().SetLimit(MemoryPool::Server().Used() + (8 << 20));
    framer_.Append(Startup());
    ASSERT_TRUE(framer_.Next().has_value());
  }
  void TearDown() override { MemoryPool::Server().SetLimit(saved_limit_); }
  int64_t saved_limit_ = 0;
  Framer framer_;
};

TEST_F(FramerMemoryTest, MessageBeyondThePoolIsRefusedBeforeItsBody) {
  framer_.Append(Header('Q', 16 << 20));
  try {
    framer_.Next();
    FAIL() << "a 16 MB message fit an 8 MB pool";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "53200");
  }
}

TEST_F(FramerMemoryTest, BigMessageHoldsItsBytesUntilItIsGone) {
  const int64_t before = MemoryPool::Server().Used();
  const uint32_t size = 2 << 20;
  framer_.Append(Header('Q', size));
  EXPECT_FALSE(framer_.Next().has_value());
  EXPECT_GE(MemoryPool::Server().Used() - before, int64_t{size});  // reserved before the body
  framer_.Append(std::string(size, ' '));
  {
    std::optional<RawMessage> message = framer_.Next();
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(message->body.size(), size);
    EXPECT_GE(MemoryPool::Server().Used() - before, int64_t{size});  // still held by the message
  }
  EXPECT_EQ(MemoryPool::Server().Used(), before);
}

}  // namespace
}  // namespace tessera::wire
