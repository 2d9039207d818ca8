#include "wire/value_codec.h"

#include <bit>
#include <cstring>

#include "common/utf8.h"

namespace tessera::wire {

namespace {

// PostgreSQL's binary numeric: base-10000 digits around the decimal point.
constexpr int kNumericPos = 0x0000;
constexpr int kNumericNeg = 0x4000;

std::string Int128ToDecimal(unsigned __int128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

void EncodeNumeric(const Numeric& n, WriteBuffer& out) {
  __int128 m = n.Mantissa();
  bool negative = m < 0;
  unsigned __int128 abs = negative ? static_cast<unsigned __int128>(-(m + 1)) + 1 : static_cast<unsigned __int128>(m);
  int32_t scale = n.Scale() < 0 ? 0 : n.Scale();
  std::string digits = Int128ToDecimal(abs);
  if (static_cast<int32_t>(digits.size()) <= scale) digits.insert(0, scale + 1 - digits.size(), '0');
  std::string int_part = digits.substr(0, digits.size() - scale);
  std::string frac_part = digits.substr(digits.size() - scale);
  int_part.insert(0, (4 - int_part.size() % 4) % 4, '0');
  frac_part.append((4 - frac_part.size() % 4) % 4, '0');
  std::vector<int16_t> groups;
  for (size_t i = 0; i < int_part.size(); i += 4) groups.push_back(static_cast<int16_t>(std::stoi(int_part.substr(i, 4))));
  int weight = static_cast<int>(int_part.size() / 4) - 1;
  for (size_t i = 0; i < frac_part.size(); i += 4) groups.push_back(static_cast<int16_t>(std::stoi(frac_part.substr(i, 4))));
  // Strip zero groups at both ends; leading ones lower the weight.
  size_t first = 0;
  while (first < groups.size() && groups[first] == 0) ++first, --weight;
  size_t last = groups.size();
  while (last > first && groups[last - 1] == 0) --last;
  if (first == last) weight = 0;
  out.PutInt16(static_cast<int16_t>(last - first));
  out.PutInt16(static_cast<int16_t>(weight));
  out.PutInt16(static_cast<int16_t>(negative && first != last ? kNumericNeg : kNumericPos));
  out.PutInt16(static_cast<int16_t>(scale));
  for (size_t i = first; i < last; ++i) out.PutInt16(groups[i]);
}

Value DecodeNumeric(ReadBuffer& in, int index) {
  int16_t ndigits = in.GetInt16();
  int16_t weight = in.GetInt16();
  int sign = static_cast<uint16_t>(in.GetInt16());
  int16_t dscale = in.GetInt16();
  if (ndigits < 0 || dscale < 0 || (sign != kNumericPos && sign != kNumericNeg)) {
    throw SqlError(sqlstate::kInvalidBinaryRepresentation, "invalid sign in external \"numeric\" value");
  }
  // Write the digits out as decimal text and let Numeric parse it.
  std::string int_part;
  std::string frac_part;
  for (int i = 0; i < ndigits; ++i) {
    int16_t d = in.GetInt16();
    if (d < 0 || d > 9999) throw SqlError(sqlstate::kInvalidBinaryRepresentation, "invalid digit in external \"numeric\" value");
    char buf[5];
    std::snprintf(buf, sizeof buf, "%04d", d);
    (i <= weight ? int_part : frac_part) += buf;
  }
  // Groups between the last digit and the decimal point are zero.
  for (int i = ndigits; i <= weight; ++i) int_part += "0000";
  if (weight < -1) frac_part.insert(0, static_cast<size_t>(-1 - weight) * 4, '0');
  if (int_part.empty()) int_part = "0";
  frac_part.resize(static_cast<size_t>(dscale), '0');
  std::string text = (sign == kNumericNeg ? "-" : "") + int_part + (dscale > 0 ? "." + frac_part : "");
  (void)index;
  return Value::Num(Numeric::Parse(text));
}

SqlError BadBinary(int index) {
  return SqlError(sqlstate::kInvalidBinaryRepresentation,
                  "incorrect binary data format in bind parameter " + std::to_string(index));
}

}  // namespace

void CheckFormatCode(int16_t format) {
  if (format != kTextFormat && format != kBinaryFormat) {
    throw SqlError(sqlstate::kInvalidParameterValue, "unsupported format code: " + std::to_string(format));
  }
}

std::string EncodeText(const Value& value, const TextFormat& fmt) { return value.ToText(fmt); }

namespace {

// array_send: ndim, has-NULL flag, element OID, then (size, lower bound 1)
// per dimension, then each element as int32 length (-1: NULL) + its bytes.
std::string EncodeArrayBinary(const Value& value) {
  WriteBuffer out;
  const Value::Elements& elements = value.GetArray();
  bool has_null = false;
  for (const Value& e : elements) has_null |= e.IsNull();
  out.PutInt32(elements.empty() ? 0 : 1);
  out.PutInt32(has_null ? 1 : 0);
  out.PutInt32(static_cast<int32_t>(ArrayElementType(value.Id())));
  if (!elements.empty()) {
    out.PutInt32(static_cast<int32_t>(elements.size()));
    out.PutInt32(1);
  }
  for (const Value& e : elements) {
    if (e.IsNull()) {
      out.PutInt32(-1);
      continue;
    }
    std::string bytes = EncodeBinary(e);
    out.PutInt32(static_cast<int32_t>(bytes.size()));
    out.PutBytes(bytes);
  }
  return out.Take();
}

Value DecodeArrayBinary(ReadBuffer& in, Type type, const TextFormat& fmt, int index) {
  int32_t ndim = in.GetInt32();
  in.GetInt32();  // has-NULL flag: the lengths say it
  auto element_oid = static_cast<uint32_t>(in.GetInt32());
  const Type element = ElementTypeOf(type);
  if (ndim > 1) throw SqlError::FeatureNotSupported("multidimensional arrays are not supported");
  if (ndim < 0) throw SqlError(sqlstate::kInvalidBinaryRepresentation, "invalid number of dimensions: " + std::to_string(ndim));
  if (element_oid != static_cast<uint32_t>(element.id))
    throw SqlError(sqlstate::kDatatypeMismatch, "binary data has array element type " + std::to_string(element_oid) +
                                                     " instead of expected " + FormatType(element));
  int32_t count = 0;
  if (ndim == 1) {
    count = in.GetInt32();
    in.GetInt32();  // lower bound: arrays here always start at 1
    if (count < 0 || static_cast<size_t>(count) > in.Remaining() / 4) throw BadBinary(index);
  }
  Value::Elements elements;
  for (int32_t i = 0; i < count; ++i) {
    int32_t len = in.GetInt32();
    if (len < 0) {
      elements.push_back(Value::Null(element));
      continue;
    }
    elements.push_back(DecodeParam(std::string(in.GetBytes(static_cast<size_t>(len))), kBinaryFormat, element, fmt, index));
  }
  if (!in.AtEnd()) throw BadBinary(index);
  return Value::Array(type, std::move(elements));
}

}  // namespace

std::string EncodeBinary(const Value& value) {
  if (IsArrayType(value.Id())) return EncodeArrayBinary(value);
  WriteBuffer out;
  switch (value.Id()) {
    case TypeId::kBool: out.PutByte(value.GetBool() ? 1 : 0); break;
    case TypeId::kInt2: out.PutInt16(static_cast<int16_t>(value.GetInt())); break;
    case TypeId::kInt4:
    case TypeId::kOid:
    case TypeId::kDate: out.PutInt32(static_cast<int32_t>(value.GetInt())); break;
    case TypeId::kInt8:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: out.PutInt64(value.GetInt()); break;
    case TypeId::kFloat4: out.PutInt32(static_cast<int32_t>(std::bit_cast<uint32_t>(static_cast<float>(value.GetFloat())))); break;
    case TypeId::kFloat8: out.PutInt64(static_cast<int64_t>(std::bit_cast<uint64_t>(value.GetFloat()))); break;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kUnknown:
    case TypeId::kBytea: out.PutBytes(value.GetString()); break;
    case TypeId::kNumeric: EncodeNumeric(value.GetNumeric(), out); break;
    default:
      throw SqlError(sqlstate::kFeatureNotSupported,
                     "binary output is not supported for type " + FormatType(value.GetType()));
  }
  return out.Take();
}

void EncodeColumn(const Value& value, int16_t format, const TextFormat& fmt, WriteBuffer& out) {
  if (value.IsNull()) {
    out.PutInt32(-1);
    return;
  }
  std::string bytes = format == kBinaryFormat ? EncodeBinary(value) : EncodeText(value, fmt);
  out.PutInt32(static_cast<int32_t>(bytes.size()));
  out.PutBytes(bytes);
}

Value DecodeParam(const std::optional<std::string>& bytes, int16_t format, Type type, const TextFormat& fmt,
                  int index) {
  CheckFormatCode(format);
  if (!bytes) return Value::Null(type);
  // Text arrives in the client encoding (UTF8) and is checked as PostgreSQL
  // checks it: invalid bytes and NUL get 22021, never stored.
  bool text_type = type.id == TypeId::kText || type.id == TypeId::kVarchar || type.id == TypeId::kBpchar ||
                   type.id == TypeId::kUnknown;
  if (format == kTextFormat || text_type) utf8::Check(*bytes);
  if (format == kTextFormat) {
    if (type.id == TypeId::kUnknown) return Value::Unknown(*bytes);
    return Value::FromText(*bytes, type, fmt);
  }
  ReadBuffer in(*bytes);
  auto expect = [&](size_t n) {
    if (in.Remaining() != n) throw BadBinary(index);
  };
  try {
    switch (type.id) {
      case TypeId::kBool: expect(1); return Value::Bool(in.GetByte() != 0);
      case TypeId::kInt2: expect(2); return Value::Int2(in.GetInt16());
      case TypeId::kInt4: expect(4); return Value::Int4(in.GetInt32());
      case TypeId::kInt8: expect(8); return Value::Int8(in.GetInt64());
      case TypeId::kFloat4: expect(4); return Value::Float4(std::bit_cast<float>(static_cast<uint32_t>(in.GetInt32())));
      case TypeId::kFloat8: expect(8); return Value::Float8(std::bit_cast<double>(static_cast<uint64_t>(in.GetInt64())));
      case TypeId::kDate: expect(4); return Value::Date(in.GetInt32());
      case TypeId::kTimestamp: expect(8); return Value::Timestamp(in.GetInt64());
      case TypeId::kTimestampTz: expect(8); return Value::TimestampTz(in.GetInt64());
      case TypeId::kBytea: return Value::Bytea(*bytes);
      case TypeId::kText:
      case TypeId::kVarchar:
      case TypeId::kBpchar:
      case TypeId::kUnknown: return Value::Text(*bytes, type.id == TypeId::kUnknown ? Type::Of(TypeId::kText) : type);
      case TypeId::kNumeric: {
        Value v = DecodeNumeric(in, index);
        if (!in.AtEnd()) throw BadBinary(index);
        return v;
      }
      default:
        if (IsArrayType(type.id)) return DecodeArrayBinary(in, type, fmt, index);
        break;
    }
  } catch (const ProtocolViolation&) {
    throw BadBinary(index);  // too short: a data error, not a framing one
  }
  throw SqlError(sqlstate::kFeatureNotSupported, "binary input is not supported for type " + FormatType(type));
}

}  // namespace tessera::wire
