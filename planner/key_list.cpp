#include "planner/key_list.h"

namespace tessera::planner {

std::vector<ExprRef> KeyListValues(const ScanSpec& scan, const EvalContext& ctx) {
  if (!scan.key_array) return scan.lower;
  Value array = Evaluate(*scan.lower.at(0), {}, ctx);
  std::vector<ExprRef> keys;
  if (array.IsNull()) return keys;
  for (const Value& element : array.GetArray())
    if (!element.IsNull()) keys.push_back(MakeConstantExpr(element));
  return keys;
}

}  // namespace tessera::planner
