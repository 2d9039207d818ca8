// Temp schema names and the session's active temp schema (common/temp_schema.h).
#include "common/temp_schema.h"

#include <gtest/gtest.h>

namespace tessera {
namespace {

TEST(TempSchema, Names) {
  EXPECT_EQ(TempSchemaName(7), "pg_temp_7");
  EXPECT_EQ(TempSchemaNumber("pg_temp_7"), 7);
  EXPECT_EQ(TempSchemaNumber("pg_temp_0"), 0);
  EXPECT_FALSE(TempSchemaNumber("pg_temp"));
  EXPECT_FALSE(TempSchemaNumber("pg_temp_"));
  EXPECT_FALSE(TempSchemaNumber("pg_temp_7x"));
  EXPECT_FALSE(TempSchemaNumber("pg_temp_-1"));
  EXPECT_FALSE(TempSchemaNumber("public"));
  EXPECT_TRUE(IsTempSchema("pg_temp_12"));
  EXPECT_FALSE(IsTempSchema("pg_toast_temp_12"));
}

TEST(TempSchema, ScopesNestAndRestore) {
  EXPECT_EQ(ActiveTempSchema(), "");
  std::string mine = "pg_temp_3";
  {
    TempSchemaScope outer(mine);
    EXPECT_EQ(ActiveTempSchema(), "pg_temp_3");
    EXPECT_FALSE(IsOtherTempSchema("pg_temp_3"));
    EXPECT_TRUE(IsOtherTempSchema("pg_temp_4"));
    EXPECT_FALSE(IsOtherTempSchema("public"));
    mine = "pg_temp_5";  // the session's string, read at each lookup
    EXPECT_EQ(ActiveTempSchema(), "pg_temp_5");
    {
      const std::string none;
      TempSchemaScope inner(none);  // a view's or default's binding
      EXPECT_EQ(ActiveTempSchema(), "");
      EXPECT_TRUE(IsOtherTempSchema("pg_temp_5"));
    }
    EXPECT_EQ(ActiveTempSchema(), "pg_temp_5");
  }
  EXPECT_EQ(ActiveTempSchema(), "");
}

TEST(TempSchema, NamespaceOids) {
  EXPECT_EQ(TempNamespaceOid(0), 4'200'000'000u);
  EXPECT_LT(static_cast<uint64_t>(TempNamespaceOid(kTempNamespaceOidCount - 1)), 4'294'967'296ull);
}

}  // namespace
}  // namespace tessera
