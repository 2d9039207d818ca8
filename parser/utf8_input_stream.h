// Private to parser/: the character stream the lexer reads. ANTLR's own
// ANTLRInputStream converts UTF-8 with std::wstring_convert, both when it
// loads the statement and each time a token's text is asked for; this one
// decodes once with a plain loop and answers getText() by slicing the
// original bytes (no conversion at all for ASCII statements, the usual case).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "antlr4-runtime.h"

namespace tessera {

class Utf8InputStream : public antlr4::ANTLRInputStream {
 public:
  // `sql` must outlive the stream. Throws SqlError 22021 on invalid UTF-8.
  explicit Utf8InputStream(std::string_view sql);

  std::string getText(const antlr4::misc::Interval& interval) override;

 private:
  size_t ByteOffset(size_t char_index) const;

  std::string_view utf8_;
  // Byte offset of each character plus one past the end; empty when the
  // statement is ASCII and character and byte offsets coincide.
  std::vector<uint32_t> byte_offsets_;
};

}  // namespace tessera
