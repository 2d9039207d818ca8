#include "cluster/etcd/range_allocator.h"

#include <charconv>
#include <stdexcept>

namespace tessera::cluster::etcd {

namespace {

int64_t ParseCounter(const std::string& key, const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw EtcdError("etcd counter '" + key + "' holds '" + text + "', not a number");
  }
  return value;
}

}  // namespace

int64_t AllocateRange(Client& client, const std::string& key, int64_t count, int64_t first_value) {
  if (count <= 0) throw std::invalid_argument("AllocateRange: count must be positive");
  RangeResult current = client.Get(key);
  for (;;) {
    int64_t start = first_value;
    Compare guard = Compare::CreateRevision(key, Compare::Result::kEqual, 0);  // still missing
    if (!current.kvs.empty()) {
      start = ParseCounter(key, current.kvs[0].value);
      guard = Compare::ModRevision(key, Compare::Result::kEqual, current.kvs[0].mod_revision);
    }
    // The failure branch reads the key, so a lost race costs one round trip, not two.
    TxnResult result = client.Txn({guard}, {Op::Put(key, std::to_string(start + count))}, {Op::Get(key)});
    if (result.succeeded) return start;
    current = result.ranges.at(0);
  }
}

}  // namespace tessera::cluster::etcd
