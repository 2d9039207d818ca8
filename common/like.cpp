// SQL LIKE/ILIKE: '%' matches any run of characters, '_' one character
// (a whole UTF-8 sequence), '\' escapes the next pattern character.
#include <cctype>
#include <string>

#include "common/error.h"
#include "common/utf8.h"
#include "common/value_ops.h"

namespace tessera {
namespace {

size_t CharLen(std::string_view s, size_t i) {
  size_t j = i + 1;
  while (j < s.size() && utf8::IsContinuation(s[j])) ++j;
  return j - i;
}

// Iterative matcher that backtracks only to the most recent '%', which is
// enough because '%' absorbs any run: linear in practice, no recursion.
bool Match(std::string_view t, std::string_view p) {
  size_t ti = 0, pi = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '%') {
      star_p = ++pi;
      star_t = ti;
      continue;
    }
    if (pi < p.size()) {
      if (p[pi] == '_') {
        pi += 1;
        ti += CharLen(t, ti);
        continue;
      }
      size_t lit = pi;
      if (p[pi] == '\\') {
        if (pi + 1 >= p.size()) throw SqlError("22025", "LIKE pattern must not end with escape character");
        lit = pi + 1;
      }
      size_t len = CharLen(p, lit);
      if (t.compare(ti, len, p.substr(lit, len)) == 0) {
        pi = lit + len;
        ti += len;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p;
    star_t += CharLen(t, star_t);
    ti = star_t;
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  if (pi < p.size() && p[pi] == '\\' && pi + 1 >= p.size())
    throw SqlError("22025", "LIKE pattern must not end with escape character");
  return pi == p.size();
}

}  // namespace

bool Like(std::string_view text, std::string_view pattern, bool case_insensitive) {
  if (!case_insensitive) return Match(text, pattern);
  return Match(utf8::ToLower(text), utf8::ToLower(pattern));  // ILIKE folds case as lower() does
}

}  // namespace tessera
