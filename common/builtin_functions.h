// Scalar built-in functions: name + argument types -> return type and
// implementation. The binder resolves a call with ResolveFunction (exact
// match first, then implicit casts, as PostgreSQL's func_select_candidate);
// aggregates (count/sum/avg/min/max) are the planner's, not listed here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/catalog_view.h"
#include "common/settings_access.h"
#include "common/value.h"

namespace tessera {

struct FunctionContext {
  const TextFormat* format = nullptr;
  int64_t statement_timestamp = 0;    // µs since 2000-01-01 UTC; now() = transaction start
  int64_t transaction_timestamp = 0;
  // The statement's catalog, for the catalog-reading built-ins; nullptr on a storage node.
  const CatalogView* catalog = nullptr;
  int32_t backend_pid = 0;  // the session's (pg_backend_pid); 0 outside a session
  // The session's settings, for set_config / current_setting; nullptr on a storage node.
  SettingsAccess* settings = nullptr;
};

// Arguments are never NULL for strict functions (the evaluator returns NULL first).
using ScalarFn = std::function<Value(const std::vector<Value>& args, const FunctionContext& ctx)>;

struct FunctionOverload {
  std::string name;
  std::vector<TypeId> arg_types;   // exact input types
  bool variadic_any = false;       // coalesce-like: any number of args of one type
  TypeId return_type;              // kUnknown: same as the first argument's type
  bool strict = true;              // NULL in -> NULL out without calling
  bool volatile_fn = false;        // now(), random(): not folded at plan time
  ScalarFn fn;
};

// The chosen overload and the casts its arguments need (target type for each
// argument; equal to the argument type when no cast is needed). Throws 42883
// (function does not exist) or 42725 (ambiguous).
struct ResolvedFunction {
  const FunctionOverload* overload = nullptr;
  std::vector<Type> arg_casts;
  Type return_type;
};
ResolvedFunction ResolveFunction(const std::string& name, const std::vector<Type>& arg_types);
bool IsKnownFunction(const std::string& name);
// Every registered overload, in registration order (pg_proc lists them).
const std::vector<FunctionOverload>& BuiltinFunctionOverloads();

}  // namespace tessera
