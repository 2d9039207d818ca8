// Array functions (PostgreSQL's array_*.c) over one-dimensional arrays with
// lower bound 1. Polymorphic ones take kAnyArray/kAnyElement (types.h); the
// binder has already cast their arguments to one array type and its element.
#include <algorithm>

#include "common/builtin_registry.h"
#include "common/error.h"

namespace tessera::builtins {
namespace {

using Args = std::vector<Value>;
using Ctx = FunctionContext;
constexpr TypeId kAnyArray = TypeId::kAnyArray;
constexpr TypeId kAnyElement = TypeId::kAnyElement;
constexpr TypeId kInt4 = TypeId::kInt4;
constexpr TypeId kText = TypeId::kText;
constexpr TypeId kBool = TypeId::kBool;

const Value::Elements& Elems(const Value& v) { return v.GetArray(); }
int32_t Size(const Value& v) { return static_cast<int32_t>(Elems(v).size()); }
Value NullInt() { return Value::Null(Type::Of(kInt4)); }

// Not distinct: NULL matches NULL (array_position, array_remove).
bool Same(const Value& a, const Value& b) { return a.IsNull() == b.IsNull() && (a.IsNull() || a.Compare(b) == 0); }

// The array type of a call whose array argument may be NULL.
Type ArrayTypeFrom(const Value& array, const Value& element) {
  if (IsArrayType(array.Id())) return array.GetType();
  return Type::Of(ArrayTypeOf(element.Id()));
}

// array_length / array_upper / array_lower / array_ndims: NULL for an empty
// array or a dimension other than 1.
Value Length(const Args& a, const Ctx&) {
  return Size(a[0]) == 0 || a[1].GetInt() != 1 ? NullInt() : Value::Int4(Size(a[0]));
}
Value Lower(const Args& a, const Ctx&) { return Size(a[0]) == 0 || a[1].GetInt() != 1 ? NullInt() : Value::Int4(1); }
Value Ndims(const Args& a, const Ctx&) { return Size(a[0]) == 0 ? NullInt() : Value::Int4(1); }
Value Dims(const Args& a, const Ctx&) {
  if (Size(a[0]) == 0) return Value::Null(Type::Of(kText));
  return Value::Text("[1:" + std::to_string(Size(a[0])) + "]");
}
Value Cardinality(const Args& a, const Ctx&) { return Value::Int4(Size(a[0])); }

// array_position(array, x [, start]): not strict in x, which may be NULL.
Value Position(const Args& a, const Ctx&) {
  if (a[0].IsNull()) return NullInt();
  int64_t start = 1;
  if (a.size() > 2) {
    if (a[2].IsNull())
      throw SqlError(sqlstate::kNullValueNotAllowed, "initial position must not be null");
    start = std::max<int64_t>(1, a[2].GetInt());
  }
  const auto& e = Elems(a[0]);
  for (int64_t i = start; i <= static_cast<int64_t>(e.size()); ++i)
    if (Same(e[static_cast<size_t>(i - 1)], a[1])) return Value::Int4(static_cast<int32_t>(i));
  return NullInt();
}

Value Positions(const Args& a, const Ctx&) {
  if (a[0].IsNull()) return Value::Null(Type::Of(TypeId::kInt4Array));
  Value::Elements out;
  const auto& e = Elems(a[0]);
  for (size_t i = 0; i < e.size(); ++i)
    if (Same(e[i], a[1])) out.push_back(Value::Int4(static_cast<int32_t>(i + 1)));
  return Value::Array(Type::Of(TypeId::kInt4Array), std::move(out));
}

// array_append / array_prepend / array_cat: a NULL array is an empty one.
Value Append(const Args& a, const Ctx&) {
  Type type = ArrayTypeFrom(a[0], a[1]);
  Value::Elements out = a[0].IsNull() ? Value::Elements{} : Elems(a[0]);
  out.push_back(a[1]);
  return Value::Array(type, std::move(out));
}
Value Prepend(const Args& a, const Ctx&) {
  Type type = ArrayTypeFrom(a[1], a[0]);
  Value::Elements out{a[0]};
  if (!a[1].IsNull()) out.insert(out.end(), Elems(a[1]).begin(), Elems(a[1]).end());
  return Value::Array(type, std::move(out));
}
Value Cat(const Args& a, const Ctx&) {
  if (a[0].IsNull()) return a[1];
  if (a[1].IsNull()) return a[0];
  Value::Elements out = Elems(a[0]);
  out.insert(out.end(), Elems(a[1]).begin(), Elems(a[1]).end());
  return Value::Array(a[0].GetType(), std::move(out));
}

Value Remove(const Args& a, const Ctx&) {
  if (a[0].IsNull()) return a[0];
  Value::Elements out;
  for (const Value& v : Elems(a[0]))
    if (!Same(v, a[1])) out.push_back(v);
  return Value::Array(a[0].GetType(), std::move(out));
}

// array_to_string(array, sep [, null_string]): NULLs are skipped unless
// null_string is given (and not NULL).
Value ToString(const Args& a, const Ctx& ctx) {
  if (a[0].IsNull() || a[1].IsNull()) return Value::Null(Type::Of(kText));
  bool show_nulls = a.size() > 2 && !a[2].IsNull();
  TextFormat default_format;
  const TextFormat& fmt = ctx.format ? *ctx.format : default_format;
  std::string out;
  bool first = true;
  for (const Value& v : Elems(a[0])) {
    if (v.IsNull() && !show_nulls) continue;
    if (!first) out += a[1].GetString();
    first = false;
    out += v.IsNull() ? a[2].GetString() : v.ToText(fmt);
  }
  return Value::Text(std::move(out));
}

// string_to_array(text, sep [, null_string]): a NULL separator splits into
// characters (UTF-8 sequences), an empty one keeps the whole string.
Value FromString(const Args& a, const Ctx&) {
  const Type type = Type::Of(TypeId::kTextArray);
  if (a[0].IsNull()) return Value::Null(type);
  const std::string& s = a[0].GetString();
  Value::Elements out;
  auto push = [&](std::string item) {
    bool is_null = a.size() > 2 && !a[2].IsNull() && item == a[2].GetString();
    out.push_back(is_null ? Value::Null(Type::Of(kText)) : Value::Text(std::move(item)));
  };
  if (s.empty()) return Value::Array(type, {});
  if (a[1].IsNull()) {
    for (size_t i = 0; i < s.size();) {
      size_t n = 1;
      while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80) ++n;
      push(s.substr(i, n));
      i += n;
    }
  } else if (a[1].GetString().empty()) {
    push(s);
  } else {
    const std::string& sep = a[1].GetString();
    size_t from = 0;
    for (size_t at; (at = s.find(sep, from)) != std::string::npos; from = at + sep.size()) push(s.substr(from, at - from));
    push(s.substr(from));
  }
  return Value::Array(type, std::move(out));
}

// a @> b: every element of b is in a; NULL elements never match.
bool Contains(const Value& a, const Value& b) {
  for (const Value& x : Elems(b)) {
    if (x.IsNull()) return false;
    bool found = std::any_of(Elems(a).begin(), Elems(a).end(),
                             [&](const Value& y) { return !y.IsNull() && y.Compare(x) == 0; });
    if (!found) return false;
  }
  return true;
}
Value ContainsFn(const Args& a, const Ctx&) { return Value::Bool(Contains(a[0], a[1])); }
Value ContainedFn(const Args& a, const Ctx&) { return Value::Bool(Contains(a[1], a[0])); }
Value OverlapFn(const Args& a, const Ctx&) {
  for (const Value& x : Elems(a[0])) {
    if (x.IsNull()) continue;
    for (const Value& y : Elems(a[1]))
      if (!y.IsNull() && y.Compare(x) == 0) return Value::Bool(true);
  }
  return Value::Bool(false);
}

}  // namespace

void AddArrayFunctions(std::vector<FunctionOverload>& out) {
  Add(out, "array_length", {kAnyArray, kInt4}, kInt4, Length);
  Add(out, "array_upper", {kAnyArray, kInt4}, kInt4, Length);
  Add(out, "array_lower", {kAnyArray, kInt4}, kInt4, Lower);
  Add(out, "array_ndims", {kAnyArray}, kInt4, Ndims);
  Add(out, "array_dims", {kAnyArray}, kText, Dims);
  Add(out, "cardinality", {kAnyArray}, kInt4, Cardinality);
  Add(out, "array_position", {kAnyArray, kAnyElement}, kInt4, Position, false, false);
  Add(out, "array_position", {kAnyArray, kAnyElement, kInt4}, kInt4, Position, false, false);
  Add(out, "array_positions", {kAnyArray, kAnyElement}, TypeId::kInt4Array, Positions, false, false);
  Add(out, "array_append", {kAnyArray, kAnyElement}, kAnyArray, Append, false, false);
  Add(out, "array_prepend", {kAnyElement, kAnyArray}, kAnyArray, Prepend, false, false);
  Add(out, "array_cat", {kAnyArray, kAnyArray}, kAnyArray, Cat, false, false);
  Add(out, "array_remove", {kAnyArray, kAnyElement}, kAnyArray, Remove, false, false);
  Add(out, "array_to_string", {kAnyArray, kText}, kText, ToString);
  Add(out, "array_to_string", {kAnyArray, kText, kText}, kText, ToString, false, false);
  Add(out, "string_to_array", {kText, kText}, TypeId::kTextArray, FromString, false, false);
  Add(out, "string_to_array", {kText, kText, kText}, TypeId::kTextArray, FromString, false, false);
  Add(out, "arraycontains", {kAnyArray, kAnyArray}, kBool, ContainsFn);
  Add(out, "arraycontained", {kAnyArray, kAnyArray}, kBool, ContainedFn);
  Add(out, "arrayoverlap", {kAnyArray, kAnyArray}, kBool, OverlapFn);
}

}  // namespace tessera::builtins
