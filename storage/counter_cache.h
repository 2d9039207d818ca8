// Hands out counter values (hidden row ids, sequence values) from blocks
// reserved through Engine::AllocateRange (or etcd, in a cluster), so that only one call in
// `block_size` pays for a durable write. Values cached when the process
// stops are never handed out afterwards: gaps, never duplicates.
// Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/fiber.h"
#include "storage/engine.h"

namespace tessera::storage {

class CounterCache {
 public:
  // allocate(name, count): the first of `count` fresh values of counter `name`.
  using Allocate = std::function<int64_t(const std::string& name, int64_t count)>;
  CounterCache(Allocate allocate, int64_t block_size) : allocate_(std::move(allocate)), block_size_(block_size) {}
  CounterCache(Engine& engine, int64_t block_size)
      : CounterCache([&engine](const std::string& name, int64_t count) { return engine.AllocateRange(name, count); },
                     block_size) {}
  // The next value of counter `name` (the first is 1).
  int64_t Next(const std::string& name);
  // The last value of `name` handed out anywhere, as far as this process
  // can tell, given `top`, a value just reserved (so every value below it
  // may have been handed out): the last one this process handed out when
  // its block is the newest reservation, else top - 1.
  int64_t LastIssued(const std::string& name, int64_t top);
  // The last value of `name` handed out, without handing one out, for a
  // process that hands out all of them (the embedded server): from its
  // block when it holds one; else it reserves one value and keeps it as
  // its block, so the answer (that value - 1) stays put and the value is
  // the next one handed out. Values a stopped process had reserved count
  // as handed out: the gaps they are.
  int64_t LastHandedOut(const std::string& name);
  // Forgets the cached block of `name` (after its counter was abandoned).
  void Forget(const std::string& name);

 private:
  struct Block {
    int64_t next = 0;
    int64_t remaining = 0;
  };
  Allocate allocate_;
  const int64_t block_size_;
  // Held across allocate_, which may park (an etcd request in a cluster):
  // its waiters park too.
  FiberMutex mutex_;
  std::unordered_map<std::string, Block> blocks_;
};

}  // namespace tessera::storage
