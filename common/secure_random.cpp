#include "common/secure_random.h"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>
#include <stdexcept>
#include <string>

namespace tessera {

void SecureRandomBytes(void* out, size_t size) {
  auto* bytes = static_cast<unsigned char*>(out);
  while (size > 0) {
    int chunk = size > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(size);
    if (RAND_bytes(bytes, chunk) != 1)
      throw std::runtime_error("OpenSSL RAND_bytes failed: " + std::to_string(ERR_get_error()));
    bytes += chunk;
    size -= static_cast<size_t>(chunk);
  }
}

uint32_t SecureRandom32() {
  uint32_t value = 0;
  SecureRandomBytes(&value, sizeof value);
  return value;
}

}  // namespace tessera
