// Arrays as text, in PostgreSQL's format (array_in/array_out): {1,2,NULL},
// elements double-quoted when they are empty, spell NULL, or hold blanks,
// quotes, backslashes, braces or commas, with '"' and '\' escaped by '\'.
// Only one dimension with lower bound 1 is supported: nested braces and
// explicit bounds ("[0:1]={...}") are refused with 0A000.
#include <strings.h>

#include <cctype>

#include "common/error.h"
#include "common/value.h"
#include "common/value_text.h"

namespace tessera {
namespace {

bool IsBlank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool NeedsQuotes(std::string_view s) {
  if (s.empty() || (s.size() == 4 && strncasecmp(s.data(), "null", 4) == 0)) return true;
  for (char c : s)
    if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || IsBlank(c)) return true;
  return false;
}

SqlError Malformed(std::string_view text, const std::string& detail) {
  return SqlError(sqlstate::kInvalidTextRepresentation, "malformed array literal: \"" + std::string(text) + "\"")
      .WithDetail(detail);
}

// Reads one array_in element starting at `pos` (after blanks); stops before
// the ',' or '}' that ends it. Sets `*is_null` for an unquoted NULL.
std::string ReadElement(std::string_view text, size_t& pos, bool* is_null) {
  std::string out;
  bool quoted_any = false, escaped_any = false, in_quotes = false;
  size_t keep = 0;  // length of `out` up to the last character that is not trailing blank
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (in_quotes) {
      if (c == '\\' && pos + 1 < text.size()) {
        out.push_back(text[++pos]);
      } else if (c == '"') {
        in_quotes = false;
      } else {
        out.push_back(c);
      }
      keep = out.size();
      continue;
    }
    if (c == ',' || c == '}') break;
    if (c == '{') throw SqlError::FeatureNotSupported("multidimensional arrays are not supported");
    if (c == '"') {
      if (!out.empty() && keep != out.size()) throw Malformed(text, "Unexpected array element.");
      in_quotes = quoted_any = true;
      continue;
    }
    if (c == '\\' && pos + 1 < text.size()) {
      out.push_back(text[++pos]);
      escaped_any = true;
      keep = out.size();
      continue;
    }
    out.push_back(c);
    if (!IsBlank(c)) keep = out.size();
  }
  if (in_quotes || pos >= text.size()) throw Malformed(text, "Unexpected end of input.");
  out.resize(keep);
  *is_null = !quoted_any && !escaped_any && out.size() == 4 && strncasecmp(out.data(), "null", 4) == 0;
  if (!quoted_any && !escaped_any && out.empty())
    throw Malformed(text, std::string("Unexpected \"") + text[pos] + "\" character.");
  return out;
}

}  // namespace

std::string ArrayToText(const Value& array, const TextFormat& fmt) {
  std::string out = "{";
  bool first = true;
  for (const Value& e : array.GetArray()) {
    if (!first) out.push_back(',');
    first = false;
    if (e.IsNull()) {
      out += "NULL";
      continue;
    }
    std::string s = e.ToText(fmt);
    if (!NeedsQuotes(s)) {
      out += s;
      continue;
    }
    out.push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

Value ArrayFromText(std::string_view text, Type type, const TextFormat& fmt) {
  const Type element = ElementTypeOf(type);
  size_t pos = 0;
  auto skip_blanks = [&] {
    while (pos < text.size() && IsBlank(text[pos])) ++pos;
  };
  skip_blanks();
  if (pos < text.size() && text[pos] == '[')
    throw SqlError::FeatureNotSupported("array literals with explicit bounds are not supported");
  if (pos >= text.size() || text[pos] != '{')
    throw Malformed(text, "Array value must start with \"{\" or dimension information.");
  ++pos;
  Value::Elements elements;
  skip_blanks();
  if (pos < text.size() && text[pos] == '}') {
    ++pos;
  } else {
    while (true) {
      skip_blanks();
      bool is_null = false;
      std::string s = ReadElement(text, pos, &is_null);
      elements.push_back(is_null ? Value::Null(element) : Value::FromText(s, element, fmt));
      if (text[pos++] == '}') break;
    }
  }
  skip_blanks();
  if (pos < text.size()) throw Malformed(text, "Junk after closing right brace.");
  return Value::Array(type, std::move(elements));
}

Value CastArray(const Value& array, Type target, const TextFormat& fmt, bool explicit_cast) {
  const Type element = ElementTypeOf(target);
  Value::Elements out;
  out.reserve(array.GetArray().size());
  for (const Value& e : array.GetArray()) out.push_back(e.CastTo(element, fmt, explicit_cast));
  return Value::Array(target, std::move(out));
}

}  // namespace tessera
