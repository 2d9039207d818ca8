// A replica's stable name: random hex kept in <data dir>/node-id, created on
// first start. It follows the data, not the address, so a node restarted on
// its own data directory is recognised as the same replica (and a primary
// reclaims its group), while a wiped directory is a new replica.
#pragma once

#include <string>

namespace tessera::cluster::replication {

// Reads the id from `data_dir`, creating it (and the directory) if missing.
// Throws SqlError XX000 if the file cannot be read or written.
std::string LoadOrCreateNodeId(const std::string& data_dir);

}  // namespace tessera::cluster::replication
