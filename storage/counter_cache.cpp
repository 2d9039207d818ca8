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

void CounterCache::Forget(const std::string& name) {
  std::lock_guard lock(mutex_);
  blocks_.erase(name);
}

}  // namespace tessera::storage
