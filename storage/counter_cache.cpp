#include "storage/counter_cache.h"

namespace tessera::storage {

int64_t CounterCache::Next(const std::string& name) {
  // Holding the lock across AllocateRange keeps two threads from both
  // reserving a block when one would do; it is taken once per block.
  std::lock_guard lock(mutex_);
  Block& block = blocks_[name];
  if (block.remaining == 0) {
    block.next = allocate_(name, block_size_);
    block.remaining = block_size_;
  }
  --block.remaining;
  return block.next++;
}

int64_t CounterCache::LastIssued(const std::string& name, int64_t top) {
  std::lock_guard lock(mutex_);
  auto it = blocks_.find(name);
  if (it != blocks_.end() && it->second.next + it->second.remaining == top) return it->second.next - 1;
  return top - 1;
}

int64_t CounterCache::LastHandedOut(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = blocks_.find(name);
  if (it != blocks_.end()) return it->second.next - 1;
  int64_t top = allocate_(name, 1);
  blocks_[name] = {top, 1};
  return top - 1;
}

void CounterCache::Forget(const std::string& name) {
  std::lock_guard lock(mutex_);
  blocks_.erase(name);
}

}  // namespace tessera::storage
