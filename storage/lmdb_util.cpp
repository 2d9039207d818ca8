#include "storage/lmdb_util.h"

#include <string>

#include "common/error.h"

namespace tessera::storage {

void ThrowLmdb(int rc, const char* what) {
  std::string message = std::string(what) + ": " + mdb_strerror(rc);
  if (rc == MDB_MAP_FULL) throw SqlError("53100", "could not extend database: " + message);
  throw SqlError(sqlstate::kInternalError, "storage error in " + message);
}

}  // namespace tessera::storage
