#include "parser/utf8_input_stream.h"

#include <cstdio>

#include "common/error.h"

namespace tessera {

namespace {

[[noreturn]] void InvalidUtf8(std::string_view sql, size_t at) {
  char hex[8];
  std::snprintf(hex, sizeof(hex), "0x%02x", static_cast<unsigned char>(sql[at]));
  throw SqlError("22021", std::string("invalid byte sequence for encoding \"UTF8\": ") + hex);
}

// Length of the UTF-8 sequence starting with `lead`, 0 when it cannot lead.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return lead >= 0xC2 ? 2 : 0;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return lead <= 0xF4 ? 4 : 0;
  return 0;
}

}  // namespace

Utf8InputStream::Utf8InputStream(std::string_view sql) : utf8_(sql) {
  _data.reserve(sql.size());
  bool ascii = true;
  for (size_t i = 0; i < sql.size();) {
    auto lead = static_cast<unsigned char>(sql[i]);
    size_t len = SequenceLength(lead);
    if (len == 0 || i + len > sql.size()) InvalidUtf8(sql, i);
    if (len == 1 && lead == 0) InvalidUtf8(sql, i);  // PostgreSQL refuses NUL bytes too
    if (len > 1 && ascii) {
      ascii = false;
      byte_offsets_.reserve(sql.size() + 1);
      for (size_t k = 0; k < i; ++k) byte_offsets_.push_back(static_cast<uint32_t>(k));
    }
    uint32_t cp = len == 1 ? lead : lead & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      auto cont = static_cast<unsigned char>(sql[i + k]);
      if ((cont & 0xC0) != 0x80) InvalidUtf8(sql, i);
      cp = (cp << 6) | (cont & 0x3F);
    }
    if (!ascii) byte_offsets_.push_back(static_cast<uint32_t>(i));
    _data.push_back(static_cast<char32_t>(cp));
    i += len;
  }
  if (!ascii) byte_offsets_.push_back(static_cast<uint32_t>(sql.size()));
  p = 0;
}

size_t Utf8InputStream::ByteOffset(size_t char_index) const {
  if (byte_offsets_.empty()) return char_index;
  return byte_offsets_[std::min(char_index, byte_offsets_.size() - 1)];
}

std::string Utf8InputStream::getText(const antlr4::misc::Interval& interval) {
  if (interval.a < 0 || interval.b < interval.a) return {};
  size_t begin = ByteOffset(static_cast<size_t>(interval.a));
  size_t end = ByteOffset(std::min(static_cast<size_t>(interval.b) + 1, _data.size()));
  return std::string(utf8_.substr(begin, end - begin));
}

}  // namespace tessera
