// Cancel keys cannot be predicted from earlier ones. The attack this guards
// against: a client that opens 624 connections and reads their BackendKeyData
// can rebuild a Mersenne Twister's state and compute the next key, and so
// cancel a stranger's query. The test runs that attack, first against a real
// std::mt19937 (to show the attack works), then against the registry.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "wire/cancel_registry.h"

namespace tessera::wire {
namespace {

uint32_t Untemper(uint32_t y) {
  y ^= y >> 18;
  y ^= (y << 15) & 0xefc60000u;
  // y ^= (y << 7) & 0x9d2c5680: undo seven bits at a time.
  uint32_t x = y;
  for (int i = 0; i < 4; ++i) x = y ^ ((x << 7) & 0x9d2c5680u);
  y = x;
  // y ^= y >> 11: undo eleven bits at a time.
  x = y;
  for (int i = 0; i < 2; ++i) x = y ^ (x >> 11);
  return x;
}

uint32_t Temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

// The output that follows 624 consecutive outputs of an MT19937.
uint32_t PredictNext(const std::vector<uint32_t>& outputs) {
  std::vector<uint32_t> state;
  for (uint32_t y : outputs) state.push_back(Untemper(y));
  uint32_t mixed = (state[0] & 0x80000000u) | (state[1] & 0x7fffffffu);
  uint32_t next = state[397] ^ (mixed >> 1) ^ ((mixed & 1u) ? 0x9908b0dfu : 0u);
  return Temper(next);
}

TEST(CancelKeyTest, TheAttackPredictsAMersenneTwister) {
  std::mt19937 generator(12345);
  generator.discard(1000);  // any window of 624 outputs will do
  std::vector<uint32_t> seen;
  for (int i = 0; i < 624; ++i) seen.push_back(generator());
  EXPECT_EQ(PredictNext(seen), generator());
}

TEST(CancelKeyTest, SecretKeysAreNotPredictableFromEarlierOnes) {
  CancelRegistry registry;
  std::vector<uint32_t> seen;
  std::vector<int32_t> pids;
  for (int i = 0; i < 624; ++i) {
    BackendKey key = registry.Register(nullptr);
    seen.push_back(static_cast<uint32_t>(key.secret_key));
    pids.push_back(key.process_id);
  }
  uint32_t predicted = PredictNext(seen);
  BackendKey next = registry.Register(nullptr);
  // A strong generator matches the prediction with probability 2^-32.
  EXPECT_NE(static_cast<uint32_t>(next.secret_key), predicted);
  EXPECT_FALSE(registry.Cancel(next.process_id, static_cast<int32_t>(predicted)));
  for (int32_t pid : pids) registry.Unregister(pid);
  registry.Unregister(next.process_id);
}

}  // namespace
}  // namespace tessera::wire
