#include "common/builtin_functions.h"

#include "common/datetime.h"
#include "test_helpers.h"

namespace tessera {
namespace {

Type T(TypeId id) { return Type::Of(id); }

// Resolves like the binder, casts the arguments and calls the function.
Value Call(const std::string& name, std::vector<Value> args, const FunctionContext& ctx = {}) {
  std::vector<Type> types;
  for (const auto& a : args) types.push_back(a.GetType());
  ResolvedFunction r = ResolveFunction(name, types);
  for (size_t i = 0; i < args.size(); ++i) args[i] = args[i].CastTo(r.arg_casts[i]);
  Value v = r.overload->fn(args, ctx);
  EXPECT_EQ(v.Id(), r.return_type.id) << name;
  return v;
}
std::string Str(const std::string& name, std::vector<Value> args) { return Call(name, std::move(args)).ToText(); }
Value S(const char* s) { return Value::Text(s); }
Value I(int32_t v) { return Value::Int4(v); }
Value N(const char* s) { return Value::Num(Numeric::Parse(s)); }

TEST(FunctionResolutionTest, ExactThenImplicitThenPreferred) {
  EXPECT_EQ(ResolveFunction("abs", {T(TypeId::kInt2)}).return_type.id, TypeId::kInt2);
  EXPECT_EQ(ResolveFunction("abs", {T(TypeId::kNumeric)}).return_type.id, TypeId::kNumeric);
  // No exact match: PostgreSQL prefers float8, the numeric category's preferred type.
  EXPECT_EQ(ResolveFunction("round", {T(TypeId::kInt4)}).return_type.id, TypeId::kFloat8);
  EXPECT_EQ(ResolveFunction("sqrt", {T(TypeId::kInt4)}).return_type.id, TypeId::kFloat8);
  EXPECT_EQ(ResolveFunction("mod", {T(TypeId::kInt2), T(TypeId::kInt4)}).return_type.id, TypeId::kInt4);
  EXPECT_EQ(ResolveFunction("round", {T(TypeId::kNumeric), T(TypeId::kInt4)}).return_type.id, TypeId::kNumeric);
  // Unknown literals: the string category first, else the preferred type.
  EXPECT_EQ(ResolveFunction("length", {T(TypeId::kUnknown)}).overload->arg_types[0], TypeId::kText);
  EXPECT_EQ(ResolveFunction("abs", {T(TypeId::kUnknown)}).return_type.id, TypeId::kFloat8);
  EXPECT_EQ(ResolveFunction("round", {T(TypeId::kUnknown)}).return_type.id, TypeId::kFloat8);
  // varchar reaches text functions through an implicit cast.
  ResolvedFunction up = ResolveFunction("upper", {Type::Varchar(5)});
  EXPECT_EQ(up.arg_casts[0], T(TypeId::kText));
  ResolvedFunction same = ResolveFunction("upper", {T(TypeId::kText)});
  EXPECT_EQ(same.arg_casts[0], T(TypeId::kText));
  EXPECT_EQ(ResolveFunction("UPPER", {T(TypeId::kText)}).overload->name, "upper");
  EXPECT_TRUE(IsKnownFunction("md5"));
  EXPECT_FALSE(IsKnownFunction("foo"));
}

TEST(FunctionResolutionTest, Errors) {
  EXPECT_SQL_ERROR(ResolveFunction("foo", {T(TypeId::kInt4)}), "42883", "function foo(integer) does not exist");
  EXPECT_SQL_ERROR(ResolveFunction("length", {T(TypeId::kInt4)}), "42883", "function length(integer) does not exist");
  EXPECT_SQL_ERROR(ResolveFunction("upper", {T(TypeId::kText), T(TypeId::kText)}), "42883",
                   "function upper(text, text) does not exist");
  EXPECT_SQL_ERROR(ResolveFunction("abs", {}), "42883", "function abs() does not exist");
}

TEST(FunctionResolutionTest, VariadicConcat) {
  ResolvedFunction r = ResolveFunction("concat", {T(TypeId::kUnknown), T(TypeId::kInt4), T(TypeId::kBool)});
  EXPECT_FALSE(r.overload->strict);
  EXPECT_EQ(r.return_type.id, TypeId::kText);
  EXPECT_EQ(r.arg_casts[0].id, TypeId::kText);
  EXPECT_EQ(r.arg_casts[1].id, TypeId::kInt4);
  EXPECT_EQ(r.overload->fn({S("a"), Value::Null(), I(2), Value::Bool(true)}, {}).GetString(), "a2t");
}

TEST(StringFunctionsTest, MatchPostgres) {
  EXPECT_EQ(Call("length", {S("héllo")}).GetInt(), 5);
  EXPECT_EQ(Call("octet_length", {S("héllo")}).GetInt(), 6);
  EXPECT_EQ(Call("char_length", {S("abc")}).GetInt(), 3);
  EXPECT_EQ(Str("upper", {S("abc")}), "ABC");
  EXPECT_EQ(Str("lower", {S("AbC")}), "abc");
  EXPECT_EQ(Str("substr", {S("hello"), I(2)}), "ello");
  EXPECT_EQ(Str("substr", {S("hello"), I(0), I(3)}), "he");
  EXPECT_EQ(Str("substr", {S("hello"), I(-1), I(3)}), "h");
  EXPECT_EQ(Str("substring", {S("hello"), I(2), I(100)}), "ello");
  EXPECT_SQL_ERROR(Call("substr", {S("abc"), I(1), I(-1)}), "22011", "negative substring length not allowed");
  EXPECT_EQ(Str("left", {S("hello"), I(-2)}), "hel");
  EXPECT_EQ(Str("left", {S("hello"), I(2)}), "he");
  EXPECT_EQ(Str("right", {S("hello"), I(-2)}), "llo");
  EXPECT_EQ(Str("right", {S("hello"), I(2)}), "lo");
  EXPECT_EQ(Str("lpad", {S("hi"), I(5), S("xy")}), "xyxhi");
  EXPECT_EQ(Str("rpad", {S("hi"), I(1)}), "h");
  EXPECT_EQ(Str("rpad", {S("hi"), I(4)}), "hi  ");
  EXPECT_EQ(Str("btrim", {S("xxhixx"), S("x")}), "hi");
  EXPECT_EQ(Str("ltrim", {S("  hi  ")}), "hi  ");
  EXPECT_EQ(Str("rtrim", {S("  hi  ")}), "  hi");
  EXPECT_EQ(Str("trim", {S("  hi  ")}), "hi");
  EXPECT_EQ(Call("position", {S("hello"), S("l")}).GetInt(), 3);
  EXPECT_EQ(Call("strpos", {S("héllo"), S("l")}).GetInt(), 3);
  EXPECT_EQ(Call("strpos", {S("hello"), S("z")}).GetInt(), 0);
  EXPECT_EQ(Str("md5", {S("abc")}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Str("repeat", {S("ab"), I(3)}), "ababab");
  EXPECT_EQ(Str("repeat", {S("ab"), I(-1)}), "");
  EXPECT_EQ(Str("reverse", {S("héllo")}), "olléh");
  EXPECT_EQ(Str("replace", {S("abcabc"), S("b"), S("XY")}), "aXYcaXYc");
  EXPECT_EQ(Str("concat", {S("a"), Value::Null(), I(2), Value::Bool(true)}), "a2t");
}

TEST(StringFunctionsTest, MoreMatchPostgres) {
  EXPECT_EQ(Str("chr", {I(65)}), "A");
  EXPECT_EQ(Str("chr", {I(233)}), "é");
  EXPECT_EQ(Str("chr", {I(128512)}), "😀");
  EXPECT_SQL_ERROR(Call("chr", {I(0)}), "54000", "null character not permitted");
  EXPECT_EQ(Call("ascii", {S("é")}).GetInt(), 233);
  EXPECT_EQ(Str("initcap", {S("hello wORLD-foo bar_baz 1abc")}), "Hello World-Foo Bar_Baz 1abc");
  EXPECT_EQ(Str("initcap", {S("élan ÉCOLE")}), "Élan École");
  EXPECT_EQ(Str("split_part", {S("a,b,c"), S(","), I(2)}), "b");
  EXPECT_EQ(Str("split_part", {S("a,b,c"), S(","), I(-1)}), "c");
  EXPECT_EQ(Str("split_part", {S("a,b,c"), S(","), I(5)}), "");
  EXPECT_SQL_ERROR(Call("split_part", {S("a"), S(","), I(0)}), "22023", "field position must not be zero");
  EXPECT_EQ(Str("translate", {S("12345"), S("143"), S("ax")}), "a2x5");
  EXPECT_EQ(Str("translate", {S("héllo"), S("él"), S("EL")}), "hELLo");
  EXPECT_EQ(Str("to_hex", {I(255)}), "ff");
  EXPECT_EQ(Str("to_hex", {I(-1)}), "ffffffff");
  EXPECT_EQ(Str("to_hex", {Value::Int8(-1)}), "ffffffffffffffff");
  EXPECT_EQ(Str("concat_ws", {S(","), S("a"), Value::Null(), I(1), Value::Bool(true)}), "a,1,t");
  EXPECT_TRUE(Call("concat_ws", {Value::Null(Type::Of(TypeId::kText)), S("a")}).IsNull());
}

TEST(MathFunctionsTest, DivTruncates) {
  EXPECT_EQ(Str("div", {I(9), I(4)}), "2");
  EXPECT_EQ(Str("div", {I(-9), I(4)}), "-2");
  EXPECT_EQ(Str("div", {N("9.5"), I(2)}), "4");
  EXPECT_EQ(Str("div", {N("0.99999999999999999999999"), N("1")}), "0");  // no rounding up
  EXPECT_SQL_ERROR(Call("div", {I(1), I(0)}), "22012", "division by zero");
}

TEST(MathFunctionsTest, MatchPostgres) {
  EXPECT_EQ(Str("abs", {I(-3)}), "3");
  EXPECT_SQL_ERROR(Call("abs", {I(INT32_MIN)}), "22003", "integer out of range");
  EXPECT_EQ(Str("abs", {N("-1.50")}), "1.50");
  EXPECT_EQ(Str("abs", {Value::Float8(-2.5)}), "2.5");
  EXPECT_EQ(Str("round", {N("2.567"), I(2)}), "2.57");
  EXPECT_EQ(Str("round", {N("-2.5")}), "-3");
  EXPECT_EQ(Str("round", {Value::Float8(2.5)}), "2");
  EXPECT_EQ(Str("round", {N("1234.5"), I(-2)}), "1200");
  EXPECT_EQ(Str("trunc", {N("-2.567"), I(1)}), "-2.5");
  EXPECT_EQ(Str("trunc", {N("2.9")}), "2");
  EXPECT_EQ(Str("ceil", {N("-1.5")}), "-1");
  EXPECT_EQ(Str("ceiling", {N("1.2")}), "2");
  EXPECT_EQ(Str("floor", {N("-1.5")}), "-2");
  EXPECT_EQ(Str("floor", {Value::Float8(-1.5)}), "-2");
  EXPECT_EQ(Str("sign", {N("-3.2")}), "-1");
  EXPECT_EQ(Str("sign", {Value::Float8(0)}), "0");
  EXPECT_EQ(Str("mod", {I(-7), I(3)}), "-1");
  EXPECT_SQL_ERROR(Call("mod", {I(1), I(0)}), "22012", "division by zero");
  EXPECT_EQ(Str("mod", {N("7.5"), N("2")}), "1.5");
  EXPECT_EQ(Str("sqrt", {N("2")}), "1.414213562373095");
  EXPECT_EQ(Str("sqrt", {N("100")}), "10.000000000000000");
  EXPECT_EQ(Str("sqrt", {N("0.0001")}), "0.01000000000000000");
  EXPECT_EQ(Str("sqrt", {N("1000000")}), "1000.0000000000000");
  EXPECT_EQ(Str("sqrt", {N("2.00000000000000000000")}), "1.41421356237309504880");
  EXPECT_EQ(Str("sqrt", {Value::Float8(16)}), "4");
  EXPECT_SQL_ERROR(Call("sqrt", {Value::Float8(-1)}), "2201F", "cannot take square root of a negative number");
  EXPECT_SQL_ERROR(Call("sqrt", {N("-1")}), "2201F", "cannot take square root of a negative number");
  EXPECT_EQ(Str("power", {Value::Float8(2), Value::Float8(10)}), "1024");
  EXPECT_EQ(Str("power", {N("2"), N("0.5")}), "1.4142135623730950");
  for (int i = 0; i < 100; ++i) {
    double r = Call("random", {}).GetFloat();
    EXPECT_GE(r, 0.0);
    EXPECT_LT(r, 1.0);
  }
  EXPECT_TRUE(ResolveFunction("random", {}).overload->volatile_fn);
}

TEST(TimeFunctionsTest, UseTheContext) {
  FunctionContext ctx;
  TextFormat fmt;
  fmt.time_zone = "America/New_York";
  ctx.format = &fmt;
  ctx.transaction_timestamp = Value::FromText("2024-01-02 03:00:00+00", T(TypeId::kTimestampTz)).GetInt();
  ctx.statement_timestamp = ctx.transaction_timestamp + 5;
  EXPECT_EQ(Call("now", {}, ctx).GetInt(), ctx.transaction_timestamp);
  EXPECT_EQ(Call("current_timestamp", {}, ctx).GetInt(), ctx.transaction_timestamp);
  EXPECT_EQ(Call("transaction_timestamp", {}, ctx).GetInt(), ctx.transaction_timestamp);
  EXPECT_EQ(Call("statement_timestamp", {}, ctx).GetInt(), ctx.statement_timestamp);
  // 03:00 UTC is still January 1st in New York.
  EXPECT_EQ(Call("current_date", {}, ctx).ToText(), "2024-01-01");
  EXPECT_TRUE(ResolveFunction("now", {}).overload->volatile_fn);
  int64_t clock = Call("clock_timestamp", {}, ctx).GetInt();
  EXPECT_GE(clock, datetime::CurrentTimestamp() - 5 * datetime::kMicrosPerSecond);
}

}  // namespace
}  // namespace tessera
