// The embedded-mode catalog: the document catalog (document_catalog.h)
// stored in the storage engine's meta space, with ids and sequences from
// engine counters.
#pragma once

#include <memory>

#include "catalog/document_catalog.h"
#include "storage/engine.h"

namespace tessera::catalog {

// Loads the stored catalog (empty on a new engine). The engine must outlive it.
std::unique_ptr<Catalog> OpenLmdbCatalog(storage::Engine& engine);

}  // namespace tessera::catalog
