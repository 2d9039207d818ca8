// Which columns of its table a scan fragment's consumer reads, so the scan
// decodes only those (storage::DecodeRow's `needed`): count(*), sum(k) over
// a wide table then builds no string of the other columns.
#pragma once

#include <optional>
#include <vector>

#include "planner/fragment.h"

namespace tessera::executor {

// The table columns that the filter, and the projection or the grouping
// and aggregates, of a plain scan fragment refer to. nullopt when every
// column is needed or cannot be told apart: the whole row is the output
// (no projection), a co-located join (its row is two tables'), a locking
// scan (it returns and re-checks whole rows), a DML fragment.
std::optional<std::vector<bool>> NeededColumns(const planner::Fragment& f);

// For each projection item: true when it is a plain column that no other
// item (nor a part of one) reads, so its value may be moved out of the
// input row instead of copied (the row is dropped after the projection).
std::vector<bool> MovableProjections(const std::vector<planner::ExprRef>& projection);

}  // namespace tessera::executor
