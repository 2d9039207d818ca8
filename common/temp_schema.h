// Temporary tables live in a schema of their own session, named as in
// PostgreSQL: pg_temp_<n>, with n handed out once per session by the
// backend (executor/backend.h, ClaimTempSchema). That session searches its
// temp schema before public and may call it `pg_temp`; other sessions never
// find its tables by an unqualified name.
//
// Which temp schema is "ours" is per session, but name lookups happen deep
// in the catalog, binder and catalog-reading built-ins, which see only a
// shared catalog snapshot. PostgreSQL keeps its search path in backend
// globals for the same reason; here the session installs its temp schema
// for the length of each call into it (TempSchemaScope). The value follows
// the session's fiber across worker threads: Fiber::Step saves and
// restores it as it does the stack bounds (common/fiber.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tessera {

inline constexpr const char* kTempSchemaPrefix = "pg_temp_";
// What a session writes for its own temp schema (PostgreSQL's alias).
inline constexpr const char* kTempSchemaAlias = "pg_temp";

// "pg_temp_<n>" of any session.
bool IsTempSchema(const std::string& schema);
// n of "pg_temp_<n>" (nullopt: not a temp schema).
std::optional<int64_t> TempSchemaNumber(const std::string& schema);
inline std::string TempSchemaName(int64_t number) { return kTempSchemaPrefix + std::to_string(number); }

// The temp schema of the session running on this thread or fiber; empty
// when it has none (yet) or no session runs here.
const std::string& ActiveTempSchema();
// Installs `schema` (a session's own string, which must outlive the call)
// and returns what was installed before; null: none.
const std::string* SetActiveTempSchema(const std::string* schema);

// pg_namespace's OID of pg_temp_<n>, n below kTempNamespaceOidCount: a
// range above every other derived OID (catalog/system/system_oids.h).
inline constexpr int64_t kTempNamespaceOidCount = 90'000'000;
inline uint32_t TempNamespaceOid(int64_t n) { return 4'200'000'000u + static_cast<uint32_t>(n); }

// The session's temp schema for one call into it.
class TempSchemaScope {
 public:
  explicit TempSchemaScope(const std::string& schema) : previous_(SetActiveTempSchema(&schema)) {}
  ~TempSchemaScope() { SetActiveTempSchema(previous_); }
  TempSchemaScope(const TempSchemaScope&) = delete;
  TempSchemaScope& operator=(const TempSchemaScope&) = delete;

 private:
  const std::string* previous_;
};

// Whether a table in `schema` belongs to another session's temp schema:
// its name resolves when qualified (DROP may remove a leftover), but its
// rows are that session's alone (0A000, as PostgreSQL).
inline bool IsOtherTempSchema(const std::string& schema) {
  return IsTempSchema(schema) && schema != ActiveTempSchema();
}

}  // namespace tessera
