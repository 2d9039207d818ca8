// The embedded-mode catalog, stored in the storage engine's meta space.
//
// Every change (CREATE/DROP/ALTER) runs under one mutex: copy the current
// snapshot, apply and validate the change, write the whole new version in
// its own committed meta transaction, then publish the new snapshot with an
// atomic pointer swap. Readers only load that pointer, so planning never
// waits for DDL, and a statement holding a snapshot keeps a consistent
// version however long it runs.
//
// Ids come from engine counters so they are never reused, even after a
// crash: table ids start at 16384 (PostgreSQL's first user OID), index ids
// at 1 (0 is the primary index). Sequences hand out values from blocks of
// kSequenceCache reserved in one durable counter update; values cached when
// the process stops are skipped after restart, as with PostgreSQL's CACHE.
#pragma once

#include <memory>

#include "catalog/catalog.h"
#include "storage/engine.h"

namespace tessera::catalog {

inline constexpr uint32_t kFirstUserTableId = 16384;
inline constexpr int64_t kSequenceCache = 32;

// Loads the stored catalog (empty on a new engine). The engine must outlive it.
std::unique_ptr<Catalog> OpenLmdbCatalog(storage::Engine& engine);

}  // namespace tessera::catalog
