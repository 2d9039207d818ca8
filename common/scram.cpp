// SCRAM-SHA-256 primitives over OpenSSL (PKCS5_PBKDF2_HMAC, HMAC, SHA256).
#include "common/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <charconv>
#include <stdexcept>

#include "common/secure_random.h"

namespace tessera::scram {

namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kKeyLength, '\0');
  SHA256(Bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string out(kKeyLength, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(data), data.size(),
           reinterpret_cast<unsigned char*>(out.data()), &length) == nullptr ||
      length != kKeyLength)
    throw std::runtime_error("OpenSSL HMAC failed");
  return out;
}

std::string SaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  std::string out(kKeyLength, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), Bytes(salt), static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), static_cast<int>(kKeyLength),
                        reinterpret_cast<unsigned char*>(out.data())) != 1)
    throw std::runtime_error("OpenSSL PKCS5_PBKDF2_HMAC failed");
  return out;
}

std::string Base64Encode(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(raw), static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      if (i + 2 < text.size()) return std::nullopt;  // '=' only in the last two places
      ++padding;
    } else if (padding > 0 || !IsBase64Char(c)) {
      return std::nullopt;
    }
  }
  std::string out(text.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), Bytes(text), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string MakeVerifier(std::string_view password, std::string_view salt, int iterations) {
  std::string salted = SaltedPassword(password, salt, iterations);
  std::string stored_key = Sha256(HmacSha256(salted, "Client Key"));
  std::string server_key = HmacSha256(salted, "Server Key");
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + Base64Encode(salt) + "$" + Base64Encode(stored_key) +
         ":" + Base64Encode(server_key);
}

std::string MakeVerifier(std::string_view password) {
  std::string salt(kSaltLength, '\0');
  SecureRandomBytes(salt.data(), salt.size());
  return MakeVerifier(password, salt, kIterations);
}

std::optional<Verifier> ParseVerifier(std::string_view text) {
  constexpr std::string_view kPrefix = "SCRAM-SHA-256$";
  if (!text.starts_with(kPrefix)) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  size_t colon1 = text.find(':'), dollar = text.find('$');
  if (colon1 == std::string_view::npos || dollar == std::string_view::npos || dollar < colon1) return std::nullopt;
  size_t colon2 = text.find(':', dollar);
  if (colon2 == std::string_view::npos) return std::nullopt;
  Verifier v;
  std::string_view iterations = text.substr(0, colon1);
  auto [end, ec] = std::from_chars(iterations.data(), iterations.data() + iterations.size(), v.iterations);
  if (ec != std::errc() || end != iterations.data() + iterations.size() || v.iterations <= 0) return std::nullopt;
  auto salt = Base64Decode(text.substr(colon1 + 1, dollar - colon1 - 1));
  auto stored = Base64Decode(text.substr(dollar + 1, colon2 - dollar - 1));
  auto server = Base64Decode(text.substr(colon2 + 1));
  if (!salt || salt->empty() || !stored || stored->size() != kKeyLength || !server || server->size() != kKeyLength)
    return std::nullopt;
  v.salt = std::move(*salt);
  v.stored_key = std::move(*stored);
  v.server_key = std::move(*server);
  return v;
}

bool CheckPassword(std::string_view verifier, std::string_view password) {
  auto v = ParseVerifier(verifier);
  if (!v) return false;
  std::string salted = SaltedPassword(password, v->salt, v->iterations);
  std::string stored_key = Sha256(HmacSha256(salted, "Client Key"));
  std::string server_key = HmacSha256(salted, "Server Key");
  bool stored_ok = ConstantTimeEqual(stored_key, v->stored_key);
  bool server_ok = ConstantTimeEqual(server_key, v->server_key);
  return stored_ok && server_ok;
}

}  // namespace tessera::scram
