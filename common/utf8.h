// UTF-8 helpers: SQL string lengths and positions count characters, not bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tessera::utf8 {

inline bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

inline size_t Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += !IsContinuation(c);
  return n;
}

// Byte offset of the character with 0-based index `chars` (s.size() if past the end).
inline size_t ByteOffset(std::string_view s, size_t chars) {
  size_t i = 0;
  while (i < s.size() && chars > 0) {
    ++i;
    while (i < s.size() && IsContinuation(s[i])) ++i;
    --chars;
  }
  return i;
}

// The first `chars` characters of s.
inline std::string_view Prefix(std::string_view s, size_t chars) { return s.substr(0, ByteOffset(s, chars)); }

}  // namespace tessera::utf8

namespace tessera::utf8 {

// Upper/lower case of UTF-8 text, as upper()/lower() in a UTF-8 database:
// ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters are mapped;
// other characters pass through unchanged.
std::string ToUpper(std::string_view s);
std::string ToLower(std::string_view s);

}  // namespace tessera::utf8

namespace tessera::utf8 {

// Byte offset of the first character that is not valid UTF-8 (or is NUL,
// which PostgreSQL text cannot hold), or npos when all of `s` is valid.
size_t FindInvalid(std::string_view s);
// Throws 22021 naming the bad bytes at `pos`, as PostgreSQL's
// `invalid byte sequence for encoding "UTF8": 0xc3 0x28`.
[[noreturn]] void ThrowInvalid(std::string_view s, size_t pos);
// Throws 22021 unless `s` is valid UTF-8 without NUL.
inline void Check(std::string_view s) {
  if (size_t pos = FindInvalid(s); pos != std::string_view::npos) ThrowInvalid(s, pos);
}

}  // namespace tessera::utf8
