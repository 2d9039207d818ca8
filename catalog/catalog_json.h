// The catalog's stored form: one JSON document per version holding every
// table and sequence. Catalogs are small and change rarely (DDL only), so
// rewriting the whole document per change keeps the format trivial to
// version and to read back; nlohmann-json's field names double as the
// schema, and unknown fields are ignored so newer writers stay readable.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "catalog/catalog.h"

namespace tessera::catalog {

struct StoredCatalog {
  CatalogSnapshot snapshot;
  // Sequence (schema.name) -> id of its engine counter. A recreated sequence
  // gets a new counter, so it restarts at its start value.
  std::map<std::string, int64_t> sequence_counters;
};

std::string SerializeCatalog(const StoredCatalog& catalog);
// Throws SqlError XX001 on a document it cannot read.
StoredCatalog DeserializeCatalog(const std::string& text);

}  // namespace tessera::catalog
