// The keys of a key-list scan (ScanKind::kKeyList), as the fragment runs:
// the IN list's values, or the elements of `pk = ANY (array)`'s array,
// which a parameter may only supply at run time.
#pragma once

#include <vector>

#include "planner/expr_evaluator.h"
#include "planner/fragment.h"

namespace tessera::planner {

// One expression per key (constants for an array's elements; a NULL
// element or a NULL array gives no key, as `= ANY` matches nothing there).
std::vector<ExprRef> KeyListValues(const ScanSpec& scan, const EvalContext& ctx);

}  // namespace tessera::planner
