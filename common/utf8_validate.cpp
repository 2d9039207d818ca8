// UTF-8 validation with PostgreSQL's rules (pg_utf8_islegal): shortest forms
// only, no surrogates, nothing above U+10FFFF, and no NUL.
#include <cstdio>

#include "common/error.h"
#include "common/utf8.h"

namespace tessera::utf8 {

namespace {

// Length of the character a lead byte announces (1 for a stray byte).
size_t LeadLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

bool InRange(unsigned char c, unsigned char low, unsigned char high) { return c >= low && c <= high; }

// Whether the `n` bytes at `p` are one legal character.
bool Legal(const unsigned char* p, size_t n) {
  unsigned char a = p[0];
  switch (n) {
    case 1: return a != 0 && a < 0x80;
    case 2: return InRange(a, 0xC2, 0xDF) && InRange(p[1], 0x80, 0xBF);
    case 3: {
      unsigned char low = a == 0xE0 ? 0xA0 : 0x80;
      unsigned char high = a == 0xED ? 0x9F : 0xBF;
      return InRange(p[1], low, high) && InRange(p[2], 0x80, 0xBF);
    }
    case 4: {
      if (a > 0xF4) return false;
      unsigned char low = a == 0xF0 ? 0x90 : 0x80;
      unsigned char high = a == 0xF4 ? 0x8F : 0xBF;
      return InRange(p[1], low, high) && InRange(p[2], 0x80, 0xBF) && InRange(p[3], 0x80, 0xBF);
    }
    default: return false;
  }
}

}  // namespace

size_t FindInvalid(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    if (p[i] >= 0x01 && p[i] < 0x80) {  // the common case: ASCII
      ++i;
      continue;
    }
    size_t n = LeadLength(p[i]);
    if (i + n > s.size() || !Legal(p + i, n)) return i;
    i += n;
  }
  return std::string_view::npos;
}

void ThrowInvalid(std::string_view s, size_t pos) {
  size_t n = std::min(LeadLength(static_cast<unsigned char>(s[pos])), s.size() - pos);
  std::string bytes;
  for (size_t k = 0; k < n; ++k) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%s0x%02x", k ? " " : "", static_cast<unsigned char>(s[pos + k]));
    bytes += hex;
  }
  throw SqlError(sqlstate::kCharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\": " + bytes);
}

}  // namespace tessera::utf8
