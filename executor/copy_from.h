// COPY ... FROM STDIN: reads the client's CopyData through the ResultSink,
// parses text or CSV, converts each field with the column type's input
// function and writes the rows through the insert fragment, the path INSERT
// takes (not-null, unique, indexes), in batches rather than a row at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include "catalog/catalog.h"
#include "executor/copy_format.h"
#include "executor/foreign_keys.h"
#include "executor/physical_operator.h"
#include "executor/session.h"
#include "planner/expr_evaluator.h"

namespace tessera::executor {

struct CopyFromTarget {
  const catalog::CatalogSnapshot* catalog = nullptr;
  FragmentExecutor* fragments = nullptr;
  const planner::EvalContext* eval = nullptr;  // for column defaults (nextval)
  const TextFormat* format = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  ForeignKeyChecker* foreign_keys = nullptr;  // checks the rows at the end, if the table has foreign keys
};

// Returns the number of rows written; throws SqlError with a COPY context.
int64_t CopyFromStdin(const ast::CopyStmt& stmt, const CopyFromTarget& target, ResultSink& sink);

}  // namespace tessera::executor
