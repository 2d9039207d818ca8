// The rows of one call of a set-returning function (generate_series,
// unnest, generate_subscripts) over its evaluated arguments, one value at a
// time: a FROM item's Function Scan reads one call, a ProjectSet one call
// per input row and function (executor/operators/physical_project_set.h).
#pragma once

#include <string>
#include <vector>

#include "common/value.h"

namespace tessera::executor {

class SetFunctionRows {
 public:
  // 22023 for generate_series' zero step, as PostgreSQL raises it at the call.
  SetFunctionRows(const std::string& name, const std::vector<Value>& args);
  // The next value; false once there is none.
  bool Next(Value* out);

 private:
  void StartSeries(const std::vector<Value>& args);
  void StartArray(const std::string& name, const std::vector<Value>& args);

  bool series_ = false;
  bool done_ = false;
  // generate_series: the next value, the last one and the step.
  Value current_, stop_, step_;
  bool ascending_ = true;
  // unnest, generate_subscripts: the values (an array is already in memory).
  std::vector<Value> values_;
  size_t pos_ = 0;
};

}  // namespace tessera::executor
