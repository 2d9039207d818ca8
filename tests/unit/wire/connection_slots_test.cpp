// max_connections (wire/connection_slots.h): 53300 past the limit, the last
// slots kept for the superuser, released slots reusable.
#include "wire/connection_slots.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace tessera::wire {
namespace {

std::string Refusal(ConnectionSlots& slots, const std::string& user) {
  try {
    slots.Acquire(user);
  } catch (const SqlError& e) {
    return e.Sqlstate() + " " + e.Message();
  }
  return "";
}

TEST(ConnectionSlotsTest, ReservesTheLastSlotsForTheSuperuser) {
  ConnectionSlots slots(ConnectionLimits{.max_connections = 5, .reserved_for_superuser = 2, .superuser = "tessera"});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Refusal(slots, "app"), "");
  EXPECT_EQ(Refusal(slots, "app"),
            "53300 remaining connection slots are reserved for non-replication superuser connections");
  EXPECT_EQ(Refusal(slots, "tessera"), "");
  EXPECT_EQ(Refusal(slots, "tessera"), "");
  EXPECT_EQ(Refusal(slots, "tessera"), "53300 sorry, too many clients already");
  EXPECT_EQ(slots.InUse(), 5);
  slots.Release();
  EXPECT_EQ(Refusal(slots, "tessera"), "");
  for (int i = 0; i < 5; ++i) slots.Release();
  EXPECT_EQ(slots.InUse(), 0);
  EXPECT_EQ(Refusal(slots, "app"), "");
}

}  // namespace
}  // namespace tessera::wire
