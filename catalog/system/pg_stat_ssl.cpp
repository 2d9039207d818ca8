// pg_catalog.pg_stat_ssl: one row per session of this server process, as
// PostgreSQL 15's view (common/tls_status.h). A session without TLS shows
// ssl = false and NULLs; one without a client certificate NULL client_dn,
// client_serial and issuer_dn. client_serial is numeric in PostgreSQL, but
// serials are up to 20 bytes (49 digits) and Tessera's numeric holds 38:
// it is stored as text (SystemColumnType), with the same decimal digits.
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"
#include "common/tls_status.h"

namespace tessera::catalog::system {
namespace {

Value TextOrNull(const std::string& s, bool present) { return present ? TextValue(s) : NullValue(); }

std::vector<Row> StatSslRows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  for (const auto& [pid, info] : TlsStatus::Sessions()) {
    bool cert = info.ssl && info.client_certificate;
    rows.push_back({Int4Value(pid), BoolValue(info.ssl), TextOrNull(info.version, info.ssl),
                    TextOrNull(info.cipher, info.ssl), info.ssl ? Int4Value(info.bits) : NullValue(),
                    TextOrNull(info.client_dn, cert),
                    TextOrNull(info.client_serial, cert),
                    TextOrNull(info.issuer_dn, cert)});
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgStatSsl{
    "pg_catalog", "pg_stat_ssl", 12010,
    {{"pid", "integer"}, {"ssl", "boolean"}, {"version", "text"}, {"cipher", "text"}, {"bits", "integer"},
     {"client_dn", "text"}, {"client_serial", "numeric"}, {"issuer_dn", "text"}},
    StatSslRows};

}  // namespace tessera::catalog::system
