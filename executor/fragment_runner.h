// Runs one fragment against a storage transaction: the only way SQL
// operators reach storage. In embedded mode the gateway calls it in-process;
// a storage node in a cluster calls it on a decoded request.
#pragma once

#include <functional>
#include <string>

#include "planner/expr_evaluator.h"
#include "planner/fragment.h"
#include "storage/engine.h"

namespace tessera::executor {

// What a fragment may need beyond its transaction.
struct FragmentServices {
  // Hidden row ids: the first of `count` fresh values of counter "rowid:<table>".
  std::function<int64_t(const std::string& counter, int64_t count)> allocate;
  std::function<int64_t(const std::string& sequence)> next_val;  // SET x = DEFAULT with a serial
  FunctionContext functions;
};

planner::FragmentResult RunFragment(const planner::FragmentRequest& request, storage::Transaction& txn,
                                    const FragmentServices& services);

}  // namespace tessera::executor
