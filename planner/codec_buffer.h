// Primitive writer and reader of the fragment encoding (see fragment_codec.h):
// varints, zigzag, length-prefixed bytes and numbered fields.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace tessera::planner::codec {

enum class WireKind : uint8_t { kVarint = 0, kBytes = 1, kFixed64 = 2 };

inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

class Writer {
 public:
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Raw(std::string_view bytes) { out_.append(bytes); }
  // Field helpers: [field][kind][payload].
  void FieldVarint(uint32_t field, uint64_t v) {
    Varint(field);
    out_.push_back(static_cast<char>(WireKind::kVarint));
    Varint(v);
  }
  void FieldInt(uint32_t field, int64_t v) { FieldVarint(field, ZigZag(v)); }
  void FieldBytes(uint32_t field, std::string_view bytes) {
    Varint(field);
    out_.push_back(static_cast<char>(WireKind::kBytes));
    Varint(bytes.size());
    out_.append(bytes);
  }
  void FieldDouble(uint32_t field, double d) {
    Varint(field);
    out_.push_back(static_cast<char>(WireKind::kFixed64));
    char buf[8];
    std::memcpy(buf, &d, 8);
    out_.append(buf, 8);
  }
  void End() { Varint(0); }
  std::string Take() { return std::move(out_); }
  // For a writer reused as scratch space: its buffer keeps its capacity.
  void Clear() { out_.clear(); }
  std::string_view View() const { return out_; }

 private:
  std::string out_;
};

// One decoded field: a varint, a fixed64 or a byte string.
struct Field {
  uint32_t number = 0;
  WireKind kind = WireKind::kVarint;
  uint64_t varint = 0;
  double fixed = 0;
  std::string_view bytes;
  int64_t Int() const { return UnZigZag(varint); }
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) Corrupt();
      auto b = static_cast<uint8_t>(in_.front());
      in_.remove_prefix(1);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    Corrupt();
  }
  std::string_view Bytes(size_t n) {
    if (in_.size() < n) Corrupt();
    std::string_view out = in_.substr(0, n);
    in_.remove_prefix(n);
    return out;
  }
  // Calls `fn` for every field until the end marker; unknown fields are the callee's to ignore.
  void Fields(const std::function<void(const Field&)>& fn) {
    while (true) {
      Field f;
      f.number = static_cast<uint32_t>(Varint());
      if (f.number == 0) return;
      f.kind = static_cast<WireKind>(static_cast<uint8_t>(Bytes(1)[0]));
      switch (f.kind) {
        case WireKind::kVarint: f.varint = Varint(); break;
        case WireKind::kBytes: f.bytes = Bytes(Varint()); break;
        case WireKind::kFixed64: std::memcpy(&f.fixed, Bytes(8).data(), 8); break;
        default: Corrupt();
      }
      fn(f);
    }
  }
  [[noreturn]] static void Corrupt() { throw SqlError(sqlstate::kDataCorrupted, "corrupt fragment encoding"); }

 private:
  std::string_view in_;
};

}  // namespace tessera::planner::codec
