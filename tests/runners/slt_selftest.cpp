// Unit tests of the sqllogictest runner's pieces that need no server: parsing
// records and rendering, sorting and hashing values.
#include <gtest/gtest.h>

#include "tests/runners/slt_parser.h"
#include "tests/runners/slt_values.h"

namespace tessera::slt {
namespace {

TEST(SltParser, ReadsStatementsQueriesAndConditions) {
  std::string text =
      "# name: x.test\r\n"
      "statement ok\r\nCREATE TABLE t (a int)\r\n\r\n"
      "skipif postgresql # a reason\nstatement error 42P01 con2\nSELECT * FROM missing\n\n"
      "query IT rowsort lbl\nSELECT a,\n  b FROM t\n----\n1\tx\n2\ty\n\n"
      "hash-threshold 4\n\nhalt\n";
  std::vector<Record> records = ParseScript(text);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatement);
  EXPECT_EQ(records[0].sql, "CREATE TABLE t (a int)");
  EXPECT_FALSE(records[0].expect_error);
  EXPECT_EQ(records[1].conditions, std::vector<std::string>{"skipif postgresql"});
  EXPECT_EQ(records[1].expected_sqlstate, "42P01");
  EXPECT_EQ(records[1].connection, "con2");
  EXPECT_EQ(records[2].types, "IT");
  EXPECT_EQ(records[2].sort, SortMode::kRowSort);
  EXPECT_EQ(records[2].label, "lbl");
  EXPECT_EQ(records[2].sql, "SELECT a,\n  b FROM t");
  EXPECT_EQ(records[2].expected_lines.size(), 2u);
  EXPECT_EQ(records[3].kind, RecordKind::kHashThreshold);
  EXPECT_EQ(records[3].hash_threshold, 4);
  EXPECT_EQ(records[4].kind, RecordKind::kHalt);
}

TEST(SltValues, RendersLikeTheReferenceRunner) {
  EXPECT_EQ(RenderValue(std::nullopt, 'I', 23), "NULL");
  EXPECT_EQ(RenderValue("t", 'I', kBoolOid), "1");
  EXPECT_EQ(RenderValue("f", 'I', kBoolOid), "0");
  EXPECT_EQ(RenderValue("-42", 'I', 23), "-42");
  EXPECT_EQ(RenderValue("2.5", 'R', 1700), "2.500");
  EXPECT_EQ(RenderValue("7", 'R', 23), "7.000");
  EXPECT_EQ(RenderValue("", 'T', 25), "(empty)");
  EXPECT_EQ(RenderValue("a\tb", 'T', 25), "a@b");
  EXPECT_EQ(RenderValue("two words", 'T', 25), "two words");
}

TEST(SltValues, SortsRowsAsTextAndHashesWithNewlines) {
  std::vector<std::string> values{"9", "b", "10", "a"};
  SortValues(&values, 2, SortMode::kRowSort);
  EXPECT_EQ(values, (std::vector<std::string>{"10", "a", "9", "b"}));
  SortValues(&values, 2, SortMode::kValueSort);
  EXPECT_EQ(values, (std::vector<std::string>{"10", "9", "a", "b"}));
  // md5("1\n2\n"), as `printf '1\n2\n' | md5sum` prints it.
  EXPECT_EQ(HashValues({"1", "2"}), "6ddb4095eb719e2a9f0a3f95677d24e0");
  size_t count = 0;
  std::string hash;
  EXPECT_TRUE(ParseHashLine({"30 values hashing to abc"}, &count, &hash));
  EXPECT_EQ(count, 30u);
  EXPECT_EQ(hash, "abc");
  EXPECT_FALSE(ParseHashLine({"30"}, &count, &hash));
}

TEST(SltValues, ExpectedLinesMayHoldWholeRows) {
  EXPECT_EQ(ExpectedValues({"1\tx", "2"}), (std::vector<std::string>{"1", "x", "2"}));
}

}  // namespace
}  // namespace tessera::slt
