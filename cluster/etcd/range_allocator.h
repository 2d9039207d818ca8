// Cluster-wide unique ids (table ids, shard ids, sequence blocks) from a counter in etcd. Each
// call reserves a whole range with one compare-and-swap, so callers can hand out ids locally.
#pragma once

#include <cstdint>
#include <string>

#include "cluster/etcd/etcd_client.h"

namespace tessera::cluster::etcd {

// Reserves `count` (> 0) consecutive values of the counter stored (as decimal text: the next free
// value) at `key` with a compare-and-swap loop on mod_revision; a missing key starts at
// `first_value`. Returns the first reserved value. Safe against concurrent allocators in other
// processes; a retried request whose answer was lost can only waste a range, never repeat one.
int64_t AllocateRange(Client& client, const std::string& key, int64_t count, int64_t first_value = 1);

}  // namespace tessera::cluster::etcd
