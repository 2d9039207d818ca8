// What a primary sends its backups over the transport (method kReplicate):
// the epoch it holds the group under, and consecutive records of its
// replication log (storage/replication_log.h). An empty request asks only
// for the backup's position. The backup answers with the last position it
// holds durably; a request of an older epoch than the backup knows is
// refused (08006), so a deposed primary can never feed a backup.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/replication_log.h"

namespace tessera::cluster::replication {

struct ReplicateRequest {
  uint64_t epoch = 0;
  std::string primary;  // the primary's node id
  std::vector<storage::PositionedRecord> records;
  // The node id of the backup it is meant for: a process that restarted on
  // the same address with a new identity (a wiped replica) must not answer
  // for the old one, whose place in the in-sync set it would keep.
  std::string backup;
};

struct ReplicateResponse {
  uint64_t applied = 0;
  uint64_t last_hash = 0;  // ReplicationLog::LastRecordHash of the backup
};

std::string EncodeReplicate(const ReplicateRequest& r);
ReplicateRequest DecodeReplicateRequest(std::string_view bytes);  // SqlError XX001 when malformed
std::string EncodeReplicate(const ReplicateResponse& r);
ReplicateResponse DecodeReplicateResponse(std::string_view bytes);

}  // namespace tessera::cluster::replication
