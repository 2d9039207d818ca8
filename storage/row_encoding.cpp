// Row layout: [column count: varint][null bitmap: ceil(count/8) bytes, bit i
// set = column i is NULL][non-NULL values in column order]. Values are
// written by payload kind, so the bytes do not depend on the exact integer
// width: integers (and bool, date, timestamps) as zigzag varints, floats as
// 8 raw bytes, numeric as zigzag-varint scale plus zigzag-varint128
// mantissa, strings as varint length plus bytes. Decoding rebuilds each value
// with the column's type. Nothing is allocated for fixed-size values.
// Arrays: varint element count, then each element as one byte (0 NULL,
// 1 present) followed by the element's own encoding.
#include "storage/row_encoding.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"

namespace tessera::storage {

namespace {

enum class Kind : uint8_t { kInt, kFloat, kString, kNumeric, kArray };

Kind KindOf(TypeId id) {
  if (IsArrayType(id)) return Kind::kArray;
  switch (id) {
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return Kind::kFloat;
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kBytea:
    case TypeId::kUnknown:
      return Kind::kString;
    case TypeId::kNumeric:
      return Kind::kNumeric;
    default:
      return Kind::kInt;
  }
}

void AppendVarint(std::string* out, unsigned __int128 v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

unsigned __int128 ZigZag(__int128 v) {
  return (static_cast<unsigned __int128>(v) << 1) ^ static_cast<unsigned __int128>(v >> 127);
}
__int128 UnZigZag(unsigned __int128 v) { return static_cast<__int128>(v >> 1) ^ -static_cast<__int128>(v & 1); }

class RowReader {
 public:
  explicit RowReader(std::string_view in) : in_(in) {}
  unsigned __int128 Varint() {
    unsigned __int128 v = 0;
    for (int shift = 0; shift < 128; shift += 7) {
      uint8_t b = Byte();
      v |= static_cast<unsigned __int128>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    Corrupt();
  }
  uint8_t Byte() {
    if (in_.empty()) Corrupt();
    uint8_t b = static_cast<uint8_t>(in_.front());
    in_.remove_prefix(1);
    return b;
  }
  std::string_view Bytes(size_t n) {
    if (in_.size() < n) Corrupt();
    std::string_view s = in_.substr(0, n);
    in_.remove_prefix(n);
    return s;
  }
  [[noreturn]] static void Corrupt() { throw SqlError(sqlstate::kDataCorrupted, "corrupted row encoding"); }

 private:
  std::string_view in_;
};

void AppendValue(std::string* out, const Value& value) {
  switch (KindOf(value.Id())) {
    case Kind::kInt:
      AppendVarint(out, ZigZag(value.GetInt()));
      return;
    case Kind::kFloat: {
      double d = value.GetFloat();
      char bytes[sizeof(d)];
      std::memcpy(bytes, &d, sizeof(d));
      out->append(bytes, sizeof(d));
      return;
    }
    case Kind::kString: {
      const std::string& s = value.GetString();
      AppendVarint(out, s.size());
      out->append(s);
      return;
    }
    case Kind::kNumeric: {
      const Numeric& n = value.GetNumeric();
      AppendVarint(out, ZigZag(n.Scale()));
      AppendVarint(out, ZigZag(n.Mantissa()));
      return;
    }
    case Kind::kArray: {
      const Value::Elements& elements = value.GetArray();
      AppendVarint(out, elements.size());
      for (const Value& e : elements) {
        out->push_back(e.IsNull() ? 0 : 1);
        if (!e.IsNull()) AppendValue(out, e);
      }
      return;
    }
  }
}

Value ReadValue(RowReader& reader, Type type) {
  switch (KindOf(type.id)) {
    case Kind::kFloat: {
      double d;
      std::memcpy(&d, reader.Bytes(sizeof(d)).data(), sizeof(d));
      return type.id == TypeId::kFloat4 ? Value::Float4(static_cast<float>(d)) : Value::Float8(d);
    }
    case Kind::kString: {
      std::string_view s = reader.Bytes(static_cast<size_t>(reader.Varint()));
      if (type.id == TypeId::kBytea) return Value::Bytea(std::string(s));
      return Value::Text(std::string(s), type);
    }
    case Kind::kNumeric: {
      auto scale = static_cast<int32_t>(UnZigZag(reader.Varint()));
      __int128 mantissa = UnZigZag(reader.Varint());
      return Value::Num(Numeric(mantissa, scale), type.typmod);
    }
    case Kind::kArray: {
      const Type element = ElementTypeOf(type);
      auto count = static_cast<size_t>(reader.Varint());
      Value::Elements elements;
      elements.reserve(std::min<size_t>(count, 1024));
      for (size_t i = 0; i < count; ++i)
        elements.push_back(reader.Byte() == 0 ? Value::Null(element) : ReadValue(reader, element));
      return Value::Array(type, std::move(elements));
    }
    case Kind::kInt:
      break;
  }
  auto v = static_cast<int64_t>(UnZigZag(reader.Varint()));
  switch (type.id) {
    case TypeId::kBool:
      return Value::Bool(v != 0);
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
      return Value::Int8(v);
  }
}

// Moves past one encoded value of `type` without building it.
void SkipValue(RowReader& reader, Type type) {
  switch (KindOf(type.id)) {
    case Kind::kFloat:
      reader.Bytes(sizeof(double));
      return;
    case Kind::kString:
      reader.Bytes(static_cast<size_t>(reader.Varint()));
      return;
    case Kind::kNumeric:
      reader.Varint();
      reader.Varint();
      return;
    case Kind::kArray: {
      const Type element = ElementTypeOf(type);
      auto count = static_cast<size_t>(reader.Varint());
      for (size_t i = 0; i < count; ++i)
        if (reader.Byte() != 0) SkipValue(reader, element);
      return;
    }
    case Kind::kInt:
      reader.Varint();
      return;
  }
}

}  // namespace

void EncodeRow(const Row& row, std::string* out) {
  size_t count = row.size();
  AppendVarint(out, count);
  size_t bitmap = out->size();
  out->append((count + 7) / 8, '\0');
  for (size_t i = 0; i < count; ++i) {
    if (row[i].IsNull()) {
      (*out)[bitmap + i / 8] = static_cast<char>((*out)[bitmap + i / 8] | (1 << (i % 8)));
      continue;
    }
    AppendValue(out, row[i]);
  }
}

namespace {

// `needed` null: every column.
Row Decode(std::string_view bytes, const std::vector<Type>& types, const std::vector<bool>* needed) {
  RowReader reader(bytes);
  auto count = static_cast<size_t>(reader.Varint());
  std::string_view bitmap = reader.Bytes((count + 7) / 8);
  // Past the last needed column nothing more is read.
  size_t last = types.size();
  if (needed)
    while (last > 0 && !(*needed)[last - 1]) --last;
  Row row;
  row.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    // Columns added after this row was written read as NULL; extra stored
    // columns (after a DROP COLUMN at the end) are ignored.
    bool null = i >= count || (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
    if (null || i >= last) {
      row.push_back(Value::Null(types[i]));
    } else if (!needed || (*needed)[i]) {
      row.push_back(ReadValue(reader, types[i]));
    } else {
      SkipValue(reader, types[i]);
      row.push_back(Value::Null(types[i]));
    }
  }
  return row;
}

}  // namespace

Row DecodeRow(std::string_view bytes, const std::vector<Type>& types) { return Decode(bytes, types, nullptr); }

Row DecodeRow(std::string_view bytes, const std::vector<Type>& types, const std::vector<bool>& needed) {
  return Decode(bytes, types, &needed);
}

}  // namespace tessera::storage
