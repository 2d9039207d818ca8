// One SQL value: a type (PostgreSQL OID + typmod) and its payload. NULL is a
// state of a value, not a type. Inside the engine NULL equals NULL so values
// sort, hash and index; SQL's three-valued logic lives in expression
// evaluation only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/numeric.h"
#include "common/types.h"

namespace tessera {

// Session settings that change how values are written and read as text.
enum class DateStyle : uint8_t { kIso, kPostgres, kSql, kGerman };
enum class DateOrder : uint8_t { kMdy, kDmy, kYmd };
struct TextFormat {
  DateStyle date_style = DateStyle::kIso;
  DateOrder date_order = DateOrder::kMdy;
  std::string time_zone = "UTC";  // IANA or POSIX name, as SET TimeZone accepts
  int extra_float_digits = 1;     // PostgreSQL 12+ default: shortest exact output
};

class Value {
 public:
  // Payload kinds: booleans and all integer, date and timestamp types use
  // int64 (date: days since 2000-01-01; timestamp/timestamptz: microseconds
  // since 2000-01-01 00:00 UTC, as PostgreSQL); float4/8 use double;
  // text/varchar/bpchar/bytea use string; numeric uses Numeric.
  // Arrays (one-dimensional, lower bound 1) hold their elements, each a
  // Value of the element type or a NULL, shared and immutable.
  using Elements = std::vector<Value>;
  using ArrayRef = std::shared_ptr<const Elements>;
  using Payload = std::variant<std::monostate, int64_t, double, std::string, Numeric, ArrayRef>;

  Value() = default;  // NULL of unknown type
  static Value Null(Type type = Type::Of(TypeId::kUnknown));
  static Value Bool(bool v);
  static Value Int2(int16_t v);
  static Value Int4(int32_t v);
  static Value Int8(int64_t v);
  static Value Float4(float v);
  static Value Float8(double v);
  static Value Text(std::string v, Type type = Type::Of(TypeId::kText));
  static Value Unknown(std::string literal);  // an untyped quoted literal
  static Value Bytea(std::string bytes);
  static Value Num(Numeric v, int32_t typmod = -1);
  static Value Date(int32_t days);
  static Value Timestamp(int64_t micros);
  static Value TimestampTz(int64_t micros);
  // `type` is an array type (types.h); elements are of its element type.
  static Value Array(Type type, Elements elements);

  const Type& GetType() const { return type_; }
  TypeId Id() const { return type_.id; }
  bool IsNull() const { return std::holds_alternative<std::monostate>(payload_); }

  bool GetBool() const { return std::get<int64_t>(payload_) != 0; }
  int64_t GetInt() const { return std::get<int64_t>(payload_); }
  double GetFloat() const { return std::get<double>(payload_); }
  const std::string& GetString() const { return std::get<std::string>(payload_); }
  const Numeric& GetNumeric() const { return std::get<Numeric>(payload_); }
  const Elements& GetArray() const { return *std::get<ArrayRef>(payload_); }
  const Payload& GetPayload() const { return payload_; }

  // PostgreSQL's text output ("t", "1.5", "2024-01-02 03:04:05+00", "\x0a0b").
  std::string ToText(const TextFormat& fmt = {}) const;
  // PostgreSQL's text input for `type`; throws 22P02/22003/22007/22008/22001.
  static Value FromText(std::string_view text, Type type, const TextFormat& fmt = {});
  // A cast (explicit or assignment); applies typmods (varchar(n) length
  // check, numeric(p,s) rounding, char(n) padding). Throws SqlError.
  Value CastTo(Type target, const TextFormat& fmt = {}, bool explicit_cast = true) const;

  // Total order for sorting and indexing: NULL sorts after everything (as
  // PostgreSQL's ASC default); numbers compare across numeric types.
  int Compare(const Value& other) const;
  bool operator==(const Value& other) const { return Compare(other) == 0; }
  size_t Hash() const;

 private:
  Value(Type type, Payload payload) : type_(type), payload_(std::move(payload)) {}
  Type type_ = Type::Of(TypeId::kUnknown);
  Payload payload_;
};

using Row = std::vector<Value>;

}  // namespace tessera
