// Internal to common/: each builtin_*_functions.cpp appends its overloads.
#pragma once

#include <vector>

#include "common/builtin_functions.h"

namespace tessera::builtins {

void AddStringFunctions(std::vector<FunctionOverload>& out);
void AddMathFunctions(std::vector<FunctionOverload>& out);
void AddTimeFunctions(std::vector<FunctionOverload>& out);
void AddExtractFunctions(std::vector<FunctionOverload>& out);
void AddCatalogFunctions(std::vector<FunctionOverload>& out);
void AddRegexFunctions(std::vector<FunctionOverload>& out);
void AddArrayFunctions(std::vector<FunctionOverload>& out);
void AddBackendFunctions(std::vector<FunctionOverload>& out);
void AddConfigFunctions(std::vector<FunctionOverload>& out);
void AddDumpFunctions(std::vector<FunctionOverload>& out);

// Shorthand for registering one overload.
inline void Add(std::vector<FunctionOverload>& out, const char* name, std::vector<TypeId> args, TypeId ret, ScalarFn fn,
                bool volatile_fn = false, bool strict = true) {
  FunctionOverload f;
  f.name = name;
  f.arg_types = std::move(args);
  f.return_type = ret;
  f.volatile_fn = volatile_fn;
  f.strict = strict;
  f.fn = std::move(fn);
  out.push_back(std::move(f));
}

}  // namespace tessera::builtins
