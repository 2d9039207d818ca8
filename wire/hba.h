// Client authentication rules in PostgreSQL's pg_hba.conf format, given
// with `--hba FILE` (tessera start, tessera gateway). Each line is
//   host|hostssl|hostnossl  database  user  address  method
// with database `all`, `sameuser`, `samerole` or names, user `all` or
// names (comma lists and "quoted" names as in PostgreSQL), address a CIDR
// (IPv4 or IPv6), an address and a netmask, or `all`; method `trust`,
// `reject`, `password`, `scram-sha-256`, `md5` (which, with passwords
// stored as SCRAM verifiers, runs SCRAM as PostgreSQL does) or `cert`
// (hostssl lines only: the client's certificate, verified against --tls-ca,
// must name the user in its CN). The first rule that matches a connection
// decides; none matching refuses it (28000). As in PostgreSQL, `host`
// matches TLS and plain TCP connections alike, `hostssl` only TLS ones and
// `hostnossl` only plain ones. Tessera has no Unix sockets: `local` lines
// never match (they are accepted so one file can serve PostgreSQL too).
// What Tessera cannot honour (host names, @files, +groups, other methods,
// options) stops the server at startup rather than being ignored.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::wire {

enum class AuthMethod : uint8_t { kTrust, kReject, kPassword, kScramSha256, kCert };

const char* AuthMethodName(AuthMethod method);

// An IPv4 or IPv6 address; IPv4-mapped IPv6 addresses count as IPv4.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4: the first 4
  // nullopt when `text` is not an address.
  static std::optional<IpAddress> Parse(const std::string& text);
};

struct HbaRule {
  enum class Type : uint8_t { kLocal, kHost, kHostSsl, kHostNoSsl };
  Type type = Type::kHost;
  std::vector<std::string> databases;  // "all", "sameuser", "samerole" keep their meaning unless quoted
  std::vector<std::string> users;
  bool any_address = true;
  IpAddress address;
  int prefix_bits = 0;
  AuthMethod method = AuthMethod::kReject;
  int line = 0;  // in its file (0: a built-in default rule)
};

class HbaRules {
 public:
  // Parses a pg_hba.conf; throws std::runtime_error("FILE:LINE: why").
  static HbaRules Parse(const std::string& text, const std::string& file_name);
  static HbaRules Load(const std::string& path);
  // Without --hba: trust for loopback clients, scram-sha-256 for all others.
  static HbaRules Default();

  // The first rule admitting this connection (`tls`: it runs over TLS);
  // nullptr when none does.
  const HbaRule* Match(const std::string& database, const std::string& user, const IpAddress& client,
                       bool tls) const;
  // Whether a rule uses the `cert` method (it needs --tls-ca).
  bool UsesCert() const;

 private:
  std::vector<HbaRule> rules_;
};

}  // namespace tessera::wire
