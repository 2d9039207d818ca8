#include "common/error.h"
#include "common/types.h"
#include "test_helpers.h"

namespace tessera {
namespace {

TEST(SqlErrorTest, NamedConstructorsUsePostgresWording) {
  EXPECT_EQ(SqlError::Syntax("x", 8).Message(), "syntax error at or near \"x\"");
  EXPECT_EQ(SqlError::Syntax("x", 8).Position(), 8);
  EXPECT_EQ(SqlError::Syntax("", 3).Message(), "syntax error at end of input");
  EXPECT_EQ(SqlError::Syntax("", 3).Sqlstate(), "42601");
  EXPECT_EQ(SqlError::UndefinedTable("t").Message(), "relation \"t\" does not exist");
  EXPECT_EQ(SqlError::UndefinedTable("t").Sqlstate(), "42P01");
  EXPECT_EQ(SqlError::UndefinedColumn("c").Sqlstate(), "42703");
  EXPECT_EQ(SqlError::UndefinedFunction("foo(integer)").Message(), "function foo(integer) does not exist");
  EXPECT_EQ(SqlError::UndefinedFunction("foo(integer)").Sqlstate(), "42883");
  EXPECT_EQ(SqlError::OutOfRange("integer").Message(), "integer out of range");
  EXPECT_EQ(SqlError::OutOfRange("integer").Sqlstate(), "22003");
  EXPECT_EQ(SqlError::InvalidText("integer", "abc").Message(), "invalid input syntax for type integer: \"abc\"");
  EXPECT_EQ(SqlError::InvalidText("integer", "abc").Sqlstate(), "22P02");
  EXPECT_EQ(SqlError::NotNull("c", "t").Message(),
            "null value in column \"c\" of relation \"t\" violates not-null constraint");
  EXPECT_EQ(SqlError::NotNull("c", "t").Sqlstate(), "23502");
  SqlError u = SqlError::UniqueViolation("t_pkey", "Key (id)=(1) already exists.");
  EXPECT_EQ(u.Message(), "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_EQ(u.Detail(), "Key (id)=(1) already exists.");
  EXPECT_EQ(u.Sqlstate(), "23505");
  EXPECT_EQ(SqlError::DivisionByZero().Sqlstate(), "22012");
  EXPECT_EQ(SqlError::DivisionByZero().Message(), "division by zero");
  EXPECT_EQ(SqlError::FeatureNotSupported("x").Sqlstate(), "0A000");
  EXPECT_EQ(SqlError::Internal("x").Sqlstate(), "XX000");
}

TEST(SqlErrorTest, AssertThrowsInternal) { EXPECT_SQL_ERROR(TS_ASSERT(1 == 2, "math"), "XX000", ""); }

TEST(TypesTest, FormatTypeMatchesFormatType) {
  EXPECT_EQ(FormatType(Type::Of(TypeId::kInt4)), "integer");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kInt2)), "smallint");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kInt8)), "bigint");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kFloat4)), "real");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kFloat8)), "double precision");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kBool)), "boolean");
  EXPECT_EQ(FormatType(Type::Varchar(10)), "character varying(10)");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kVarchar)), "character varying");
  EXPECT_EQ(FormatType(Type::Bpchar(3)), "character(3)");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kBpchar)), "bpchar");
  EXPECT_EQ(FormatType(Type::Numeric(10, 2)), "numeric(10,2)");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kNumeric)), "numeric");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kTimestamp)), "timestamp without time zone");
  EXPECT_EQ(FormatType(Type::Of(TypeId::kTimestampTz)), "timestamp with time zone");
}

TEST(TypesTest, ResolveTypeNameSpellings) {
  for (const char* n : {"int", "int4", "integer", "INTEGER"})
    EXPECT_EQ(ResolveTypeName(n, {}, {}).id, TypeId::kInt4) << n;
  for (const char* n : {"int2", "smallint"}) EXPECT_EQ(ResolveTypeName(n, {}, {}).id, TypeId::kInt2);
  for (const char* n : {"int8", "bigint"}) EXPECT_EQ(ResolveTypeName(n, {}, {}).id, TypeId::kInt8);
  for (const char* n : {"float", "float8", "double precision", "DOUBLE  PRECISION"})
    EXPECT_EQ(ResolveTypeName(n, {}, {}).id, TypeId::kFloat8) << n;
  for (const char* n : {"real", "float4"}) EXPECT_EQ(ResolveTypeName(n, {}, {}).id, TypeId::kFloat4);
  EXPECT_EQ(ResolveTypeName("float", 24, {}).id, TypeId::kFloat4);
  EXPECT_EQ(ResolveTypeName("float", 25, {}).id, TypeId::kFloat8);
  EXPECT_SQL_ERROR(ResolveTypeName("float", 54, {}), "22023", "precision for type float must be less than 54 bits");
  EXPECT_EQ(ResolveTypeName("decimal", 10, 2), Type::Numeric(10, 2));
  EXPECT_EQ(ResolveTypeName("numeric", 5, {}), Type::Numeric(5, 0));
  EXPECT_EQ(ResolveTypeName("numeric", {}, {}), Type::Of(TypeId::kNumeric));
  EXPECT_EQ(ResolveTypeName("varchar", 3, {}), Type::Varchar(3));
  EXPECT_EQ(ResolveTypeName("character varying", {}, {}), Type::Of(TypeId::kVarchar));
  EXPECT_EQ(ResolveTypeName("char", {}, {}), Type::Bpchar(1));
  EXPECT_EQ(ResolveTypeName("character", 4, {}), Type::Bpchar(4));
  EXPECT_EQ(ResolveTypeName("bpchar", {}, {}), Type::Of(TypeId::kBpchar));
  for (const char* n : {"bool", "boolean"}) EXPECT_EQ(ResolveTypeName(n, {}, {}).id, TypeId::kBool);
  EXPECT_EQ(ResolveTypeName("bytea", {}, {}).id, TypeId::kBytea);
  EXPECT_EQ(ResolveTypeName("date", {}, {}).id, TypeId::kDate);
  EXPECT_EQ(ResolveTypeName("timestamp", {}, {}).id, TypeId::kTimestamp);
  EXPECT_EQ(ResolveTypeName("timestamp without time zone", {}, {}).id, TypeId::kTimestamp);
  EXPECT_EQ(ResolveTypeName("timestamptz", {}, {}).id, TypeId::kTimestampTz);
  EXPECT_EQ(ResolveTypeName("timestamp with time zone", {}, {}).id, TypeId::kTimestampTz);
  EXPECT_EQ(ResolveTypeName("text", {}, {}).id, TypeId::kText);
  EXPECT_SQL_ERROR(ResolveTypeName("varchar", 0, {}), "22023", "length for type varchar must be at least 1");
  EXPECT_SQL_ERROR(ResolveTypeName("numeric", 3, 5), "22023", "");
  EXPECT_SQL_ERROR(ResolveTypeName("foo", {}, {}), "42704", "type \"foo\" does not exist");
}

TEST(TypesTest, SerialTypes) {
  bool serial = false;
  EXPECT_EQ(ResolveTypeName("serial", {}, {}, &serial).id, TypeId::kInt4);
  EXPECT_TRUE(serial);
  EXPECT_EQ(ResolveTypeName("bigserial", {}, {}, &serial).id, TypeId::kInt8);
  EXPECT_EQ(ResolveTypeName("serial8", {}, {}, &serial).id, TypeId::kInt8);
  EXPECT_EQ(ResolveTypeName("smallserial", {}, {}, &serial).id, TypeId::kInt2);
  EXPECT_EQ(ResolveTypeName("serial4", {}, {}, &serial).id, TypeId::kInt4);
  EXPECT_EQ(ResolveTypeName("int", {}, {}, &serial).id, TypeId::kInt4);
  EXPECT_FALSE(serial);
}

TEST(TypesTest, ModifiersAndLengths) {
  EXPECT_EQ(Type::Varchar(10).CharLength(), 10);
  EXPECT_EQ(Type::Of(TypeId::kText).CharLength(), std::nullopt);
  EXPECT_EQ(Type::Numeric(12, 3).NumericPrecision(), 12);
  EXPECT_EQ(Type::Numeric(12, 3).NumericScale(), 3);
  EXPECT_EQ(TypeLength(TypeId::kInt4), 4);
  EXPECT_EQ(TypeLength(TypeId::kInt8), 8);
  EXPECT_EQ(TypeLength(TypeId::kBool), 1);
  EXPECT_EQ(TypeLength(TypeId::kText), -1);
  EXPECT_EQ(TypeLength(TypeId::kTimestampTz), 8);
  EXPECT_TRUE(IsIntegerType(TypeId::kInt2));
  EXPECT_FALSE(IsIntegerType(TypeId::kNumeric));
  EXPECT_TRUE(IsNumericCategory(TypeId::kFloat4));
  EXPECT_TRUE(IsStringType(TypeId::kBpchar));
  EXPECT_FALSE(IsStringType(TypeId::kBytea));
}

}  // namespace
}  // namespace tessera
