// An UPDATE that changes primary key columns moves rows between shards: a
// row lives on the shard of its key's bucket, so a new key may belong to
// another group. On the shard the update fragment would rewrite the row in
// place (right for one node, wrong for a cluster), so the gateway runs it as
// a delete that returns the old rows and an insert of the new rows, routed by
// their new keys, in the same transaction. The insert checks the new keys
// and unique indexes as any insert does, on every shard; that is also why an
// UPDATE of a column of a unique index runs this way (a shard alone can only
// check its own rows).
#pragma once

#include "executor/fragment_runner.h"
#include "planner/fragment.h"

namespace tessera::cluster {

class ClusterTxn;

// An update that sets a primary key column or a column of a unique index.
bool UpdateMovesRows(const planner::Fragment& fragment);

planner::FragmentResult MoveUpdatedRows(ClusterTxn& txn, const planner::FragmentRequest& request,
                                        const executor::FragmentServices& services);

}  // namespace tessera::cluster
