#include "catalog/system/system_oids.h"

namespace tessera::catalog::system {

uint32_t ForeignKeyConstraintOid(uint32_t table_id, const std::string& name) {
  uint32_t h = 2166136261u;  // FNV-1a, as SequenceOid
  for (char c : std::to_string(table_id) + "." + name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return 3'700'000'000u + h % 200'000'000u;
}

uint32_t SequenceOid(const SequenceInfo& sequence) {
  // FNV-1a of "schema.name": fixed across versions and processes (std::hash is not).
  uint32_t h = 2166136261u;
  for (char c : sequence.schema + "." + sequence.name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return 4'000'000'000u + h % 200'000'000u;
}

uint32_t NamespaceOid(const std::string& schema) {
  if (schema == "pg_catalog") return kPgCatalogNamespaceOid;
  if (schema == "information_schema") return kInformationSchemaNamespaceOid;
  if (auto n = TempSchemaNumber(schema); n && *n < kTempNamespaceOidCount) return TempNamespaceOid(*n);
  return kPublicNamespaceOid;  // the only user schema
}

std::string NamespaceName(uint32_t oid) {
  switch (oid) {
    case kPgCatalogNamespaceOid: return "pg_catalog";
    case kPublicNamespaceOid: return "public";
    case kInformationSchemaNamespaceOid: return "information_schema";
    default: break;
  }
  if (oid >= TempNamespaceOid(0) && oid - TempNamespaceOid(0) < kTempNamespaceOidCount)
    return TempSchemaName(oid - TempNamespaceOid(0));
  return {};
}

}  // namespace tessera::catalog::system
