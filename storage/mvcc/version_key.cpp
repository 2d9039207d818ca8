#include "storage/mvcc/version_key.h"

#include <algorithm>
#include <cstring>

namespace tessera::storage::mvcc {

void AppendVersionKey(std::string* out, std::string_view user_key, Timestamp ts) {
  out->append(user_key);
  Timestamp inverted = ~ts;
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((inverted >> (8 * i)) & 0xFF));
}

std::string EncodeVersionKey(std::string_view user_key, Timestamp ts) {
  std::string out;
  out.reserve(user_key.size() + kTimestampSize);
  AppendVersionKey(&out, user_key, ts);
  return out;
}

bool DecodeVersionKey(std::string_view stored, std::string_view* user_key, Timestamp* ts) {
  if (stored.size() < kTimestampSize) return false;
  size_t split = stored.size() - kTimestampSize;
  *user_key = stored.substr(0, split);
  Timestamp inverted = 0;
  for (size_t i = split; i < stored.size(); ++i) inverted = (inverted << 8) | static_cast<uint8_t>(stored[i]);
  *ts = ~inverted;
  return true;
}

std::string EncodeVersionValue(VersionTag tag, std::string_view row) {
  std::string out;
  out.reserve(row.size() + 1);
  out.push_back(static_cast<char>(tag));
  out.append(row);
  return out;
}

bool DecodeVersionValue(std::string_view stored, VersionTag* tag, std::string_view* row) {
  if (stored.empty()) return false;
  auto raw = static_cast<uint8_t>(stored[0]);
  if (raw > static_cast<uint8_t>(VersionTag::kRow)) return false;
  *tag = static_cast<VersionTag>(raw);
  *row = stored.substr(1);
  return true;
}

namespace {

int CompareBytes(const char* a, size_t a_size, const char* b, size_t b_size) {
  int c = std::memcmp(a, b, std::min(a_size, b_size));
  if (c != 0) return c;
  return a_size < b_size ? -1 : (a_size > b_size ? 1 : 0);
}

}  // namespace

int CompareVersionKeys(const MDB_val* a, const MDB_val* b) {
  const auto* ad = static_cast<const char*>(a->mv_data);
  const auto* bd = static_cast<const char*>(b->mv_data);
  // Keys shorter than a suffix never reach LMDB (the engine refuses them);
  // compare them as plain bytes so the order stays total regardless.
  if (a->mv_size < kTimestampSize || b->mv_size < kTimestampSize) {
    return CompareBytes(ad, a->mv_size, bd, b->mv_size);
  }
  size_t a_user = a->mv_size - kTimestampSize;
  size_t b_user = b->mv_size - kTimestampSize;
  int c = CompareBytes(ad, a_user, bd, b_user);
  if (c != 0) return c;
  return std::memcmp(ad + a_user, bd + b_user, kTimestampSize);
}

}  // namespace tessera::storage::mvcc
