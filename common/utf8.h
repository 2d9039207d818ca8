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
