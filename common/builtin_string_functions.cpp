// String built-ins. Lengths and positions count characters (UTF-8), as
// PostgreSQL does in a UTF8 database; varchar/char arguments reach these
// through their implicit cast to text.
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>

#include "common/builtin_registry.h"
#include "common/error.h"
#include "common/utf8.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kText = TypeId::kText, kInt4 = TypeId::kInt4, kBytea = TypeId::kBytea;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

const std::string& S(const Args& a, size_t i) { return a[i].GetString(); }
int64_t I(const Args& a, size_t i) { return a[i].GetInt(); }

size_t Chars(std::string_view s) { return utf8::Length(s); }

// Characters [from, from + count) by 0-based character index, clamped.
std::string Slice(std::string_view s, int64_t from, int64_t count) {
  int64_t len = static_cast<int64_t>(Chars(s));
  int64_t start = std::clamp<int64_t>(from, 0, len);
  int64_t end = std::clamp<int64_t>(count < 0 ? len : from + count, start, len);
  size_t b = utf8::ByteOffset(s, static_cast<size_t>(start));
  size_t e = utf8::ByteOffset(s, static_cast<size_t>(end));
  return std::string(s.substr(b, e - b));
}

// substr(s, start [, count]) with SQL's 1-based start that may be <= 0.
Value Substr(const std::string& s, int64_t start, std::optional<int64_t> count) {
  if (count && *count < 0) throw SqlError("22011", "negative substring length not allowed");
  int64_t from = start - 1;
  if (!count) return Value::Text(Slice(s, std::max<int64_t>(from, 0), -1));
  int64_t end = from + *count;  // the window counts from the (possibly negative) start
  from = std::max<int64_t>(from, 0);
  if (end <= from) return Value::Text("");
  return Value::Text(Slice(s, from, end - from));
}

bool InSet(std::string_view set, std::string_view ch) { return set.find(ch) != std::string_view::npos; }

// Trims whole characters in `set` from the chosen ends.
std::string Trim(const std::string& s, const std::string& set, bool left, bool right) {
  size_t b = 0, e = s.size();
  while (left && b < e) {
    size_t n = utf8::ByteOffset(std::string_view(s).substr(b), 1);
    if (!InSet(set, std::string_view(s).substr(b, n))) break;
    b += n;
  }
  while (right && e > b) {
    size_t start = e - 1;
    while (start > b && utf8::IsContinuation(s[start])) --start;
    if (!InSet(set, std::string_view(s).substr(start, e - start))) break;
    e = start;
  }
  return s.substr(b, e - b);
}

std::string Pad(const std::string& s, int64_t len, const std::string& fill, bool left) {
  if (len <= 0) return "";
  int64_t have = static_cast<int64_t>(Chars(s));
  if (have >= len) return Slice(s, 0, len);
  if (fill.empty()) return s;
  std::string pad;
  int64_t need = len - have, fill_chars = static_cast<int64_t>(Chars(fill));
  while (need >= fill_chars) {
    pad += fill;
    need -= fill_chars;
  }
  pad += Slice(fill, 0, need);
  return left ? pad + s : s + pad;
}

std::string Reverse(const std::string& s) {
  std::string out;
  size_t e = s.size();
  while (e > 0) {
    size_t b = e - 1;
    while (b > 0 && utf8::IsContinuation(s[b])) --b;
    out.append(s, b, e - b);
    e = b;
  }
  return out;
}

int64_t Position(const std::string& haystack, const std::string& needle) {
  size_t pos = haystack.find(needle);
  if (pos == std::string::npos) return 0;
  return static_cast<int64_t>(Chars(std::string_view(haystack).substr(0, pos))) + 1;
}

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

// left(s, n) / right(s, n): a negative n means "all but |n| characters".
std::string Left(const std::string& s, int64_t n) {
  int64_t len = static_cast<int64_t>(Chars(s));
  return Slice(s, 0, n >= 0 ? n : std::max<int64_t>(len + n, 0));
}
std::string Right(const std::string& s, int64_t n) {
  int64_t len = static_cast<int64_t>(Chars(s));
  int64_t keep = n >= 0 ? std::min(n, len) : std::max<int64_t>(len + n, 0);
  return Slice(s, len - keep, keep);
}

// The first character's code point (ascii() in a UTF-8 database).
int32_t FirstCodePoint(const std::string& s) {
  if (s.empty()) return 0;
  std::string one(utf8::Prefix(s, 1));
  auto c = static_cast<unsigned char>(one[0]);
  if (one.size() == 1) return c;
  int32_t cp = c & (0xFF >> (one.size() + 1));
  for (size_t i = 1; i < one.size(); ++i) cp = (cp << 6) | (static_cast<unsigned char>(one[i]) & 0x3F);
  return cp;
}

std::string Chr(int64_t code) {
  if (code == 0) throw SqlError(sqlstate::kProgramLimitExceeded, "null character not permitted");
  if (code < 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    throw SqlError(sqlstate::kInvalidParameterValue,
                   "requested character not valid for encoding: " + std::to_string(code));
  std::string out;
  auto cp = static_cast<uint32_t>(code);
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out += {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
  } else if (cp < 0x10000) {
    out += {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
            static_cast<char>(0x80 | (cp & 0x3F))};
  } else {
    out += {static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
            static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
  }
  return out;
}

// initcap: upper-case the first letter of each run of letters and digits.
std::string InitCap(const std::string& s) {
  std::string out;
  bool in_word = false;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8::ByteOffset(std::string_view(s).substr(i), 1);
    std::string_view ch = std::string_view(s).substr(i, n);
    bool alnum = n > 1 || std::isalnum(static_cast<unsigned char>(ch[0]));
    out += in_word ? utf8::ToLower(ch) : utf8::ToUpper(ch);
    in_word = alnum;
    i += n;
  }
  return out;
}

// split_part: 1-based field, negative counts from the end (PostgreSQL 14+).
std::string SplitPart(const std::string& s, const std::string& sep, int64_t n) {
  if (n == 0) throw SqlError(sqlstate::kInvalidParameterValue, "field position must not be zero");
  std::vector<std::string> fields;
  if (sep.empty()) {
    fields.push_back(s);
  } else {
    size_t pos = 0, hit;
    while ((hit = s.find(sep, pos)) != std::string::npos) {
      fields.push_back(s.substr(pos, hit - pos));
      pos = hit + sep.size();
    }
    fields.push_back(s.substr(pos));
  }
  if (s.empty()) return "";
  int64_t count = static_cast<int64_t>(fields.size());
  int64_t idx = n > 0 ? n - 1 : count + n;
  return idx >= 0 && idx < count ? fields[idx] : "";
}

// translate: each character of `from` becomes the one at the same place in
// `to`, or is deleted when `to` is shorter.
std::string Translate(const std::string& s, const std::string& from, const std::string& to) {
  std::vector<std::string_view> f, t;
  for (size_t i = 0; i < from.size();) {
    size_t n = utf8::ByteOffset(std::string_view(from).substr(i), 1);
    f.push_back(std::string_view(from).substr(i, n));
    i += n;
  }
  for (size_t i = 0; i < to.size();) {
    size_t n = utf8::ByteOffset(std::string_view(to).substr(i), 1);
    t.push_back(std::string_view(to).substr(i, n));
    i += n;
  }
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8::ByteOffset(std::string_view(s).substr(i), 1);
    std::string_view ch = std::string_view(s).substr(i, n);
    auto it = std::find(f.begin(), f.end(), ch);
    if (it == f.end())
      out += ch;
    else if (static_cast<size_t>(it - f.begin()) < t.size())
      out += t[it - f.begin()];
    i += n;
  }
  return out;
}

std::string ToHex(uint64_t v) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kHex[v & 15]);
    v >>= 4;
  } while (v != 0);
  return out;
}

}  // namespace

void AddStringFunctions(std::vector<FunctionOverload>& out) {
  auto length = [](const Args& a, const Ctx&) { return Value::Int4(static_cast<int32_t>(Chars(S(a, 0)))); };
  for (const char* n : {"length", "char_length", "character_length"}) Add(out, n, {kText}, kInt4, length);
  auto bytes = [](const Args& a, const Ctx&) { return Value::Int4(static_cast<int32_t>(S(a, 0).size())); };
  Add(out, "length", {kBytea}, kInt4, bytes);
  Add(out, "octet_length", {kText}, kInt4, bytes);
  Add(out, "octet_length", {TypeId::kBpchar}, kInt4, bytes);  // counts char(n)'s padding, as PostgreSQL's
  Add(out, "octet_length", {kBytea}, kInt4, bytes);
  Add(out, "upper", {kText}, kText, [](const Args& a, const Ctx&) { return Value::Text(utf8::ToUpper(S(a, 0))); });
  Add(out, "lower", {kText}, kText, [](const Args& a, const Ctx&) { return Value::Text(utf8::ToLower(S(a, 0))); });
  // quote_ident: quoted unless a plain lower-case identifier (PostgreSQL
  // also quotes keywords, which this does not know).
  Add(out, "quote_ident", {kText}, kText, [](const Args& a, const Ctx&) {
    const std::string& name = S(a, 0);
    bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
    if (plain) return Value::Text(name);
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return Value::Text(quoted + "\"");
  });
  for (const char* n : {"substr", "substring"}) {
    Add(out, n, {kText, kInt4}, kText, [](const Args& a, const Ctx&) { return Substr(S(a, 0), I(a, 1), {}); });
    Add(out, n, {kText, kInt4, kInt4}, kText,
        [](const Args& a, const Ctx&) { return Substr(S(a, 0), I(a, 1), I(a, 2)); });
  }
  FunctionOverload concat;
  concat.name = "concat";
  concat.variadic_any = true;
  concat.return_type = kText;
  concat.strict = false;  // NULL arguments are skipped
  concat.fn = [](const Args& a, const Ctx& ctx) {
    std::string s;
    for (const auto& v : a) {
      if (v.IsNull()) continue;
      if (v.Id() == TypeId::kBool)
        s += v.GetBool() ? "t" : "f";
      else
        s += v.ToText(ctx.format ? *ctx.format : TextFormat{});
    }
    return Value::Text(std::move(s));
  };
  out.push_back(concat);
  Add(out, "replace", {kText, kText, kText}, kText, [](const Args& a, const Ctx&) {
    const std::string &s = S(a, 0), &from = S(a, 1), &to = S(a, 2);
    if (from.empty()) return Value::Text(s);
    std::string r;
    size_t pos = 0, hit;
    while ((hit = s.find(from, pos)) != std::string::npos) {
      r.append(s, pos, hit - pos).append(to);
      pos = hit + from.size();
    }
    return Value::Text(r.append(s, pos));
  });
  struct TrimKind {
    const char* name;
    bool left, right;
  };
  for (TrimKind k : {TrimKind{"btrim", true, true}, TrimKind{"trim", true, true}, TrimKind{"ltrim", true, false},
                     TrimKind{"rtrim", false, true}}) {
    Add(out, k.name, {kText}, kText,
        [k](const Args& a, const Ctx&) { return Value::Text(Trim(S(a, 0), " ", k.left, k.right)); });
    Add(out, k.name, {kText, kText}, kText,
        [k](const Args& a, const Ctx&) { return Value::Text(Trim(S(a, 0), S(a, 1), k.left, k.right)); });
  }
  auto pos = [](const Args& a, const Ctx&) { return Value::Int4(static_cast<int32_t>(Position(S(a, 0), S(a, 1)))); };
  Add(out, "position", {kText, kText}, kInt4, pos);  // position(needle IN haystack) arrives as (haystack, needle)
  Add(out, "strpos", {kText, kText}, kInt4, pos);
  Add(out, "left", {kText, kInt4}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Left(S(a, 0), I(a, 1))); });
  Add(out, "right", {kText, kInt4}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Right(S(a, 0), I(a, 1))); });
  Add(out, "repeat", {kText, kInt4}, kText, [](const Args& a, const Ctx&) {
    std::string r;
    for (int64_t i = 0; i < I(a, 1); ++i) r += S(a, 0);
    return Value::Text(std::move(r));
  });
  Add(out, "reverse", {kText}, kText, [](const Args& a, const Ctx&) { return Value::Text(Reverse(S(a, 0))); });
  Add(out, "lpad", {kText, kInt4}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Pad(S(a, 0), I(a, 1), " ", true)); });
  Add(out, "lpad", {kText, kInt4, kText}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Pad(S(a, 0), I(a, 1), S(a, 2), true)); });
  Add(out, "rpad", {kText, kInt4}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Pad(S(a, 0), I(a, 1), " ", false)); });
  Add(out, "rpad", {kText, kInt4, kText}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Pad(S(a, 0), I(a, 1), S(a, 2), false)); });
  auto md5 = [](const Args& a, const Ctx&) { return Value::Text(Md5Hex(S(a, 0))); };
  Add(out, "md5", {kText}, kText, md5);
  Add(out, "md5", {kBytea}, kText, md5);
  Add(out, "starts_with", {kText, kText}, TypeId::kBool,
      [](const Args& a, const Ctx&) { return Value::Bool(S(a, 0).rfind(S(a, 1), 0) == 0); });
  Add(out, "ascii", {kText}, kInt4, [](const Args& a, const Ctx&) { return Value::Int4(FirstCodePoint(S(a, 0))); });
  Add(out, "chr", {kInt4}, kText, [](const Args& a, const Ctx&) { return Value::Text(Chr(I(a, 0))); });
  Add(out, "initcap", {kText}, kText, [](const Args& a, const Ctx&) { return Value::Text(InitCap(S(a, 0))); });
  Add(out, "split_part", {kText, kText, kInt4}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(SplitPart(S(a, 0), S(a, 1), I(a, 2))); });
  Add(out, "translate", {kText, kText, kText}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(Translate(S(a, 0), S(a, 1), S(a, 2))); });
  Add(out, "to_hex", {kInt4}, kText, [](const Args& a, const Ctx&) {
    return Value::Text(ToHex(static_cast<uint32_t>(static_cast<int32_t>(I(a, 0)))));
  });
  Add(out, "to_hex", {TypeId::kInt8}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(ToHex(static_cast<uint64_t>(I(a, 0)))); });
  FunctionOverload concat_ws;
  concat_ws.name = "concat_ws";
  concat_ws.variadic_any = true;
  concat_ws.return_type = kText;
  concat_ws.strict = false;  // NULL values are skipped; a NULL separator gives NULL
  concat_ws.fn = [](const Args& a, const Ctx& ctx) {
    if (a.empty() || a[0].IsNull()) return Value::Null(Type::Of(kText));
    const TextFormat fmt = ctx.format ? *ctx.format : TextFormat{};
    std::string sep = a[0].ToText(fmt), s;
    bool first = true;
    for (size_t i = 1; i < a.size(); ++i) {
      if (a[i].IsNull()) continue;
      if (!first) s += sep;
      s += a[i].ToText(fmt);
      first = false;
    }
    return Value::Text(std::move(s));
  };
  out.push_back(concat_ws);
}

}  // namespace tessera::builtins
