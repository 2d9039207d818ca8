// Secrets (cancel keys, and later SCRAM nonces and salts) come from OpenSSL's
// CSPRNG, never from a seeded pseudo-random generator: the output of a
// Mersenne Twister is predictable after 624 observed values, which let a
// stranger compute the next connection's cancel key.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera {

// Fills `out` with `size` cryptographically strong random bytes; throws
// std::runtime_error if the generator fails (never falls back to a weak one).
void SecureRandomBytes(void* out, size_t size);

uint32_t SecureRandom32();

}  // namespace tessera
