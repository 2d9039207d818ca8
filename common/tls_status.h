// What the server's sessions know about TLS, for SQL to show: `SHOW ssl`
// (whether this server accepts TLS connections, as PostgreSQL's `ssl`
// setting) and pg_stat_ssl (one row per session, its protocol version,
// cipher and client certificate). The wire front end (wire/connection.cpp)
// writes here as sessions start and end; catalog/system/pg_stat_ssl.cpp and
// executor/session_settings.cpp read. Process-wide, as the sessions of one
// server process are what PostgreSQL's pg_stat_ssl lists: a gateway shows
// its own sessions.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tessera {

// One session's transport; `ssl` false leaves the rest empty.
struct TlsSessionInfo {
  bool ssl = false;
  std::string version;   // "TLSv1.3"
  std::string cipher;    // "TLS_AES_256_GCM_SHA384"
  int32_t bits = 0;
  bool client_certificate = false;  // the client sent one (then the fields below are set)
  std::string client_cn;      // the subject's CN, for `cert` authentication
  std::string client_dn;      // RFC 2253, as PostgreSQL shows it: "CN=alice"
  std::string client_serial;  // decimal
  std::string issuer_dn;
  // RFC 5929 tls-server-end-point: the hash of the server's certificate, for
  // SCRAM-SHA-256-PLUS (wire/scram_exchange.h); binary.
  std::string server_end_point;
};

class TlsStatus {
 public:
  // The server's TLS setting (--tls-cert given); read by SHOW ssl.
  static void SetServerTls(bool on);
  static bool ServerTls();
  // A session with BackendKeyData process id `pid` started / ended.
  static void Register(int32_t pid, TlsSessionInfo info);
  static void Unregister(int32_t pid);
  // Every registered session, by pid.
  static std::vector<std::pair<int32_t, TlsSessionInfo>> Sessions();
};

}  // namespace tessera
