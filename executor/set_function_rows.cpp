// generate_series, unnest and generate_subscripts as PostgreSQL 15 computes them.
#include "executor/set_function_rows.h"

#include "common/error.h"
#include "common/value_ops.h"

namespace tessera::executor {

SetFunctionRows::SetFunctionRows(const std::string& name, const std::vector<Value>& args) {
  if (name == "generate_series")
    StartSeries(args);
  else
    StartArray(name, args);
}

void SetFunctionRows::StartSeries(const std::vector<Value>& args) {
  series_ = true;
  current_ = args[0];
  stop_ = args[1];
  step_ = args.size() > 2 ? args[2] : Value::Int4(1).CastTo(current_.GetType());
  if (current_.IsNull() || stop_.IsNull() || step_.IsNull()) {
    done_ = true;
    return;
  }
  int sign = step_.Compare(Value::Int4(0));
  if (sign == 0) throw SqlError(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
  ascending_ = sign > 0;
}

void SetFunctionRows::StartArray(const std::string& name, const std::vector<Value>& args) {
  done_ = true;
  if (args[0].IsNull()) return;
  const Value::Elements& elements = args[0].GetArray();
  if (name == "unnest") {
    values_.assign(elements.begin(), elements.end());
  } else {  // generate_subscripts: only dimension 1 exists (arrays here have one)
    const Value& dim = args[1];
    bool backwards = args.size() > 2 && !args[2].IsNull() && args[2].GetBool();
    if (dim.IsNull() || dim.GetInt() != 1) return;
    auto n = static_cast<int32_t>(elements.size());
    for (int32_t i = 1; i <= n; ++i) values_.push_back(Value::Int4(backwards ? n + 1 - i : i));
  }
  done_ = false;
}

bool SetFunctionRows::Next(Value* out) {
  if (done_) return false;
  if (!series_) {
    if (pos_ == values_.size()) {
      done_ = true;
      return false;
    }
    *out = std::move(values_[pos_++]);
    return true;
  }
  int c = current_.Compare(stop_);
  if (ascending_ ? c > 0 : c < 0) {
    done_ = true;
    return false;
  }
  *out = current_;
  try {
    current_ = Arith(ArithOp::kAdd, current_, step_);
  } catch (const SqlError&) {
    done_ = true;  // the next value would overflow: the series ends here
  }
  return true;
}

}  // namespace tessera::executor
