// SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL stores and checks it:
// passwords are kept only as verifiers
//   SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
// (base64 fields), which pg_authid shows and PostgreSQL accepts as is, so a
// verifier can move between the two. The server side of the SASL exchange
// is wire/scram_exchange.h; this file holds the primitives and verifiers.
//
// Passwords are used as given: PostgreSQL first applies SASLprep, which
// leaves printable ASCII unchanged but may normalise other text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tessera::scram {

inline constexpr int kIterations = 4096;  // PostgreSQL's scram_iterations
inline constexpr size_t kSaltLength = 16;
inline constexpr size_t kKeyLength = 32;  // SHA-256

struct Verifier {
  int iterations = 0;
  std::string salt;        // raw bytes
  std::string stored_key;  // raw, kKeyLength bytes
  std::string server_key;
};

// A verifier for `password` with a fresh salt (OpenSSL RAND_bytes).
std::string MakeVerifier(std::string_view password);
std::string MakeVerifier(std::string_view password, std::string_view salt, int iterations);
std::optional<Verifier> ParseVerifier(std::string_view text);
// Whether `password` (cleartext, as the `password` method receives it)
// matches `verifier`. Constant-time in the comparison.
bool CheckPassword(std::string_view verifier, std::string_view password);

std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string SaltedPassword(std::string_view password, std::string_view salt, int iterations);
std::string Base64Encode(std::string_view raw);
// nullopt on anything but canonical base64 (padding included).
std::optional<std::string> Base64Decode(std::string_view text);
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace tessera::scram
