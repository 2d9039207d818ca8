// POSIX regular-expression operators: ~ (matches), ~* (matches, ignoring
// case) and their negations, as calls of PostgreSQL's operator functions
// (textregexeq, ...; common/builtin_regex_functions.cpp). Both sides are text.
#include "common/error.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

ExprRef Binder::BindRegexMatch(const std::string& op, ExprRef left, ExprRef right, int location) {
  if (!IsStringType(left->type.id) || !IsStringType(right->type.id))
    throw SqlError(sqlstate::kUndefinedFunction,
                   "operator does not exist: " + FormatType(left->type) + " " + op + " " + FormatType(right->type), {},
                   "No operator matches the given name and argument types. You might need to add explicit type "
                   "casts.",
                   location + 1);
  const char* function = op == "~"    ? "textregexeq"
                         : op == "!~" ? "textregexne"
                         : op == "~*" ? "texticregexeq"
                                      : "texticregexne";
  left = Coerce(left, Type::Of(TypeId::kText), kCastImplicit);
  right = Coerce(right, Type::Of(TypeId::kText), kCastImplicit);
  ResolvedFunction resolved = ResolveFunction(function, {left->type, right->type});
  auto call = std::make_shared<BoundExpr>();
  call->kind = BoundExprKind::kFunction;
  call->name = function;
  call->fn = resolved.overload;
  call->type = resolved.return_type;
  call->args = {left, right};
  call->location = location;
  return Fold(call, location);
}

}  // namespace tessera::planner
