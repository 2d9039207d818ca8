// Byte buffers for the PostgreSQL protocol: big-endian integers and
// NUL-terminated strings. The reader checks every read against the message
// body, so a message that lies about its contents raises 08P01 instead of
// reading past its end; the writer back-fills message lengths, so no
// hand-written size() can drift from what was written.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "common/error.h"

namespace tessera::wire {

// A framing or message-format error: the connection cannot be trusted any
// more, so the handler sends FATAL 08P01 and closes it.
class ProtocolViolation : public SqlError {
 public:
  explicit ProtocolViolation(std::string message) : SqlError(sqlstate::kProtocolViolation, std::move(message)) {}
};

class ReadBuffer {
 public:
  explicit ReadBuffer(std::string_view data) : data_(data) {}

  size_t Remaining() const { return data_.size() - pos_; }
  bool AtEnd() const { return pos_ == data_.size(); }

  uint8_t GetByte() { return static_cast<uint8_t>(*Take(1)); }
  int16_t GetInt16() { return static_cast<int16_t>(GetUnsigned(2)); }
  int32_t GetInt32() { return static_cast<int32_t>(GetUnsigned(4)); }
  int64_t GetInt64() { return static_cast<int64_t>(GetUnsigned(8)); }
  // A NUL-terminated string (the NUL is consumed, not returned).
  std::string GetCString() {
    const void* nul = std::memchr(data_.data() + pos_, '\0', Remaining());
    if (nul == nullptr) throw ProtocolViolation("invalid string in message");
    size_t len = static_cast<const char*>(nul) - (data_.data() + pos_);
    std::string s(data_.data() + pos_, len);
    pos_ += len + 1;
    return s;
  }
  std::string_view GetBytes(size_t n) { return std::string_view(Take(n), n); }
  // Raises 08P01 unless the whole body was consumed, as pq_getmsgend does.
  void ExpectEnd() const {
    if (!AtEnd()) throw ProtocolViolation("invalid message format");
  }

 private:
  const char* Take(size_t n) {
    if (n > Remaining()) throw ProtocolViolation("invalid message format");
    const char* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }
  uint64_t GetUnsigned(size_t n) {
    const char* p = Take(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
    return v;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

class WriteBuffer {
 public:
  // Starts a message: the type byte and a length placeholder. Returns the
  // offset of the length to hand to End().
  size_t Begin(char type) {
    data_.push_back(type);
    size_t at = data_.size();
    PutInt32(0);
    return at;
  }
  // Back-fills the length (which counts itself but not the type byte).
  void End(size_t length_at) {
    uint32_t len = static_cast<uint32_t>(data_.size() - length_at);
    for (int i = 0; i < 4; ++i) data_[length_at + i] = static_cast<char>(len >> (24 - 8 * i));
  }

  void PutByte(uint8_t v) { data_.push_back(static_cast<char>(v)); }
  void PutInt16(int16_t v) { PutUnsigned(static_cast<uint16_t>(v), 2); }
  void PutInt32(int32_t v) { PutUnsigned(static_cast<uint32_t>(v), 4); }
  void PutInt64(int64_t v) { PutUnsigned(static_cast<uint64_t>(v), 8); }
  void PutCString(std::string_view s) {
    data_.append(s);
    data_.push_back('\0');
  }
  void PutBytes(std::string_view s) { data_.append(s); }

  size_t Size() const { return data_.size(); }
  bool Empty() const { return data_.empty(); }
  const std::string& Data() const { return data_; }
  // Hands the bytes over and leaves the buffer empty.
  std::string Take() {
    std::string out;
    out.swap(data_);
    return out;
  }

 private:
  void PutUnsigned(uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i) data_.push_back(static_cast<char>(v >> (8 * i)));
  }

  std::string data_;
};

}  // namespace tessera::wire
