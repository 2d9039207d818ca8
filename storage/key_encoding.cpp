// Memcomparable encoding of values. Each value starts with a marker byte:
// kNotNull (0x01) before a value, kNull (0x02) for NULL, so NULL sorts after
// every value. Payloads by type:
//   bool            1 byte, 0 or 1
//   integers, oid,  8 bytes big-endian with the sign bit flipped; every
//   date, timestamp integer width shares one encoding so a key built from an
//                   int8 constant still matches an int4 column's entries
//   float4/8        the double's bits: sign bit flipped for positives, all
//                   bits inverted for negatives; -0 becomes +0 and every NaN
//                   one NaN that sorts above +Infinity, as PostgreSQL orders
//   numeric         sign class (neg 0x01, zero 0x02, pos 0x03), then for
//                   non-zero v = 0.d1d2..dn x 10^e: e as 4 bytes (biased),
//                   the digits as nibbles d+1 ending in a 0 nibble; all of it
//                   inverted for negatives. Trailing zeros are dropped, so
//                   1.0 and 1.00 encode alike (keys compare by value)
//   strings, bytea  bytes with 0x00 escaped as 00 FF, ending in 00 01, so a
//                   prefix sorts before its extensions; char(n) drops
//                   trailing spaces, which PostgreSQL ignores in comparisons
// DESC inverts every byte of the value, marker included (NULLs then sort
// first, PostgreSQL's default for DESC).
#include "storage/key_encoding.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/error.h"

namespace tessera::storage {

namespace {

constexpr uint8_t kNotNull = 0x01;
constexpr uint8_t kNull = 0x02;
constexpr uint8_t kNumNegative = 0x01;
constexpr uint8_t kNumZero = 0x02;
constexpr uint8_t kNumPositive = 0x03;

void AppendBigEndian(std::string* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

uint64_t EncodeDouble(double d) {
  if (d == 0.0) d = 0.0;  // folds -0 into +0
  uint64_t bits = std::bit_cast<uint64_t>(d);
  if (std::isnan(d)) bits = 0x7FF8000000000000ULL;  // one canonical NaN
  return (bits & (uint64_t{1} << 63)) ? ~bits : bits | (uint64_t{1} << 63);
}

double DecodeDouble(uint64_t bits) {
  bits = (bits & (uint64_t{1} << 63)) ? bits & ~(uint64_t{1} << 63) : ~bits;
  return std::bit_cast<double>(bits);
}

void AppendNumeric(std::string* out, const Numeric& n) {
  __int128 m = n.Mantissa();
  if (m == 0) {
    out->push_back(static_cast<char>(kNumZero));
    return;
  }
  bool negative = m < 0;
  unsigned __int128 mag = negative ? -static_cast<unsigned __int128>(m) : static_cast<unsigned __int128>(m);
  int64_t scale = n.Scale();
  while (mag % 10 == 0) {  // normalise: 1.00 -> 1
    mag /= 10;
    --scale;
  }
  char digits[40];
  int count = 0;
  for (; mag != 0; mag /= 10) digits[count++] = static_cast<char>(mag % 10);
  // v = 0.d1..dn x 10^e with e = n - scale.
  int64_t exponent = count - scale;
  size_t begin = out->size();
  out->push_back(static_cast<char>(kNumPositive));
  AppendBigEndian(out, static_cast<uint64_t>(exponent + (int64_t{1} << 31)), 4);
  uint8_t pending = 0;
  bool half = false;
  for (int i = count - 1; i >= -1; --i) {  // most significant first, then the 0 terminator
    uint8_t nibble = i >= 0 ? static_cast<uint8_t>(digits[i] + 1) : 0;
    if (!half) {
      pending = static_cast<uint8_t>(nibble << 4);
    } else {
      out->push_back(static_cast<char>(pending | nibble));
    }
    half = !half;
  }
  if (half) out->push_back(static_cast<char>(pending));
  if (negative) {
    (*out)[begin] = static_cast<char>(kNumNegative);
    for (size_t i = begin + 1; i < out->size(); ++i) (*out)[i] = static_cast<char>(~(*out)[i]);
  }
}

void AppendString(std::string* out, std::string_view s) {
  for (char c : s) {
    out->push_back(c);
    if (c == '\0') out->push_back('\xFF');
  }
  out->push_back('\0');
  out->push_back('\x01');
}

std::string_view TrimTrailingSpaces(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Reads bytes from the front of a key, inverting them for DESC columns.
class KeyReader {
 public:
  KeyReader(std::string_view* in, bool invert) : in_(in), mask_(invert ? 0xFF : 0) {}
  uint8_t Byte() {
    if (in_->empty()) throw SqlError(sqlstate::kDataCorrupted, "truncated index key");
    uint8_t b = static_cast<uint8_t>(in_->front()) ^ mask_;
    in_->remove_prefix(1);
    return b;
  }
  uint64_t BigEndian(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | Byte();
    return v;
  }
  void InvertAlso() { mask_ ^= 0xFF; }

 private:
  std::string_view* in_;
  uint8_t mask_;
};

std::string ReadString(KeyReader& reader) {
  std::string s;
  for (;;) {
    char c = static_cast<char>(reader.Byte());
    if (c != '\0') {
      s.push_back(c);
      continue;
    }
    uint8_t next = reader.Byte();
    if (next == 0x01) return s;
    if (next != 0xFF) throw SqlError(sqlstate::kDataCorrupted, "bad string escape in index key");
    s.push_back('\0');
  }
}

Numeric ReadNumeric(KeyReader& reader) {
  uint8_t sign = reader.Byte();
  if (sign == kNumZero) return Numeric(0, 0);
  bool negative = sign == kNumNegative;
  if (negative) reader.InvertAlso();
  int64_t exponent = static_cast<int64_t>(reader.BigEndian(4)) - (int64_t{1} << 31);
  __int128 mantissa = 0;
  int64_t count = 0;
  for (bool done = false; !done;) {
    uint8_t b = reader.Byte();
    for (uint8_t nibble : {static_cast<uint8_t>(b >> 4), static_cast<uint8_t>(b & 0x0F)}) {
      if (nibble == 0) {
        done = true;
        break;
      }
      mantissa = mantissa * 10 + (nibble - 1);
      ++count;
    }
  }
  if (negative) reader.InvertAlso();
  int64_t scale = count - exponent;
  for (; scale < 0; ++scale) mantissa *= 10;
  return Numeric(negative ? -mantissa : mantissa, static_cast<int32_t>(scale));
}

void AppendPayload(std::string* out, const Value& value) {
  switch (value.Id()) {
    case TypeId::kBool:
      out->push_back(value.GetBool() ? '\x01' : '\x00');
      return;
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      AppendBigEndian(out, EncodeDouble(value.GetFloat()), 8);
      return;
    case TypeId::kNumeric:
      AppendNumeric(out, value.GetNumeric());
      return;
    case TypeId::kBpchar:
      AppendString(out, TrimTrailingSpaces(value.GetString()));
      return;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBytea:
    case TypeId::kUnknown:
      AppendString(out, value.GetString());
      return;
    default:  // int2/4/8, oid, date, timestamp(tz): all int64 payloads
      AppendBigEndian(out, static_cast<uint64_t>(value.GetInt()) ^ (uint64_t{1} << 63), 8);
      return;
  }
}

Value ReadPayload(KeyReader& reader, Type type) {
  switch (type.id) {
    case TypeId::kBool:
      return Value::Bool(reader.Byte() != 0);
    case TypeId::kFloat4:
      return Value::Float4(static_cast<float>(DecodeDouble(reader.BigEndian(8))));
    case TypeId::kFloat8:
      return Value::Float8(DecodeDouble(reader.BigEndian(8)));
    case TypeId::kNumeric: {
      // Keys drop trailing zeros; give the value back the column's scale.
      Numeric n = ReadNumeric(reader);
      __int128 mantissa = n.Mantissa();
      int32_t scale = n.Scale();
      if (auto target = type.NumericScale()) {
        for (; scale < *target; ++scale) mantissa *= 10;
      }
      return Value::Num(Numeric(mantissa, scale), type.typmod);
    }
    case TypeId::kBpchar: {
      std::string s = ReadString(reader);
      if (auto n = type.CharLength(); n && static_cast<int32_t>(s.size()) < *n) s.resize(*n, ' ');
      return Value::Text(std::move(s), type);
    }
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kUnknown:
      return Value::Text(ReadString(reader), type);
    case TypeId::kBytea:
      return Value::Bytea(ReadString(reader));
    default:
      break;
  }
  int64_t v = static_cast<int64_t>(reader.BigEndian(8) ^ (uint64_t{1} << 63));
  switch (type.id) {
    case TypeId::kInt2:
      return Value::Int2(static_cast<int16_t>(v));
    case TypeId::kInt4:
      return Value::Int4(static_cast<int32_t>(v));
    case TypeId::kDate:
      return Value::Date(static_cast<int32_t>(v));
    case TypeId::kTimestamp:
      return Value::Timestamp(v);
    case TypeId::kTimestampTz:
      return Value::TimestampTz(v);
    default:
      return Value::Int8(v);  // int8, and oid for want of an Oid constructor
  }
}

}  // namespace

void AppendKeyPrefix(std::string* out, uint32_t table_id, uint32_t index_id) {
  AppendBigEndian(out, table_id, 4);
  AppendBigEndian(out, index_id, 4);
}

std::string KeyPrefix(uint32_t table_id, uint32_t index_id) {
  std::string out;
  out.reserve(16);
  AppendKeyPrefix(&out, table_id, index_id);
  return out;
}

std::string TablePrefix(uint32_t table_id) {
  std::string out;
  AppendBigEndian(&out, table_id, 4);
  return out;
}

bool DecodeKeyPrefix(std::string_view* in, uint32_t* table_id, uint32_t* index_id) {
  if (in->size() < kKeyPrefixSize) return false;
  KeyReader reader(in, false);
  *table_id = static_cast<uint32_t>(reader.BigEndian(4));
  *index_id = static_cast<uint32_t>(reader.BigEndian(4));
  return true;
}

std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    if (static_cast<uint8_t>(end.back()) != 0xFF) {
      end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
      return end;
    }
    end.pop_back();
  }
  return end;  // all 0xFF: no upper bound (an empty end means unbounded)
}

void AppendKeyValue(std::string* out, const Value& value, bool descending) {
  size_t begin = out->size();
  if (value.IsNull()) {
    out->push_back(static_cast<char>(kNull));
  } else {
    out->push_back(static_cast<char>(kNotNull));
    AppendPayload(out, value);
  }
  if (!descending) return;
  for (size_t i = begin; i < out->size(); ++i) (*out)[i] = static_cast<char>(~(*out)[i]);
}

Value DecodeKeyValue(std::string_view* in, Type type, bool descending) {
  KeyReader reader(in, descending);
  uint8_t marker = reader.Byte();
  if (marker == kNull) return Value::Null(type);
  if (marker != kNotNull) throw SqlError(sqlstate::kDataCorrupted, "bad null marker in index key");
  return ReadPayload(reader, type);
}

}  // namespace tessera::storage
