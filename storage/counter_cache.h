// Hands out counter values (hidden row ids, sequence values) from blocks
// reserved through Engine::AllocateRange, so that only one call in
// `block_size` pays for a durable write. Values cached when the process
// stops are never handed out afterwards: gaps, never duplicates.
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/engine.h"

namespace tessera::storage {

class CounterCache {
 public:
  CounterCache(Engine& engine, int64_t block_size) : engine_(engine), block_size_(block_size) {}
  // The next value of counter `name` (the first is 1).
  int64_t Next(const std::string& name);
  // Forgets the cached block of `name` (after its counter was abandoned).
  void Forget(const std::string& name);

 private:
  struct Block {
    int64_t next = 0;
    int64_t remaining = 0;
  };
  Engine& engine_;
  const int64_t block_size_;
  std::mutex mutex_;
  std::unordered_map<std::string, Block> blocks_;
};

}  // namespace tessera::storage
