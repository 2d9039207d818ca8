// The embedded database: one storage engine, its catalog and the SQL engine
// in one process. `tessera start` serves its sessions over pgwire.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "executor/session.h"

namespace tessera {

struct DatabaseOptions {
  std::string data_dir;
  bool sync_commits = true;      // fsync at commit
  bool encode_fragments = false; // run every fragment through its byte encoding (tests the transport path)
  // When set: the password of superuser `tessera`, stored as its SCRAM
  // verifier at every open (`tessera start --password-file`).
  std::optional<std::string> superuser_password;
};

// Opens (creating on first use, with superuser `tessera` and database
// `tessera`) the data directory. Throws SqlError if it cannot.
std::unique_ptr<SessionFactory> OpenEmbeddedDatabase(const DatabaseOptions& options);

}  // namespace tessera
