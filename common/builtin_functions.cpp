// The registry of scalar built-ins and overload resolution, following
// PostgreSQL's func_select_candidate: an exact match wins; otherwise among
// the candidates reachable by implicit casts keep those with the most exact
// matches, then the most preferred types (float8, text, timestamptz) where a
// cast is needed, then resolve unknown literals by type category (string
// first). Whatever is left must be a single candidate.
#include "common/builtin_functions.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

#include "common/builtin_registry.h"
#include "common/error.h"
#include "common/value_ops.h"

namespace tessera {
namespace {

struct Registry {
  std::vector<FunctionOverload> overloads;
  std::unordered_map<std::string, std::vector<const FunctionOverload*>> by_name;
};

const Registry& GetRegistry() {
  static const Registry registry = [] {
    Registry r;
    builtins::AddStringFunctions(r.overloads);
    builtins::AddMathFunctions(r.overloads);
    builtins::AddTimeFunctions(r.overloads);
    builtins::AddExtractFunctions(r.overloads);
    builtins::AddCatalogFunctions(r.overloads);
    builtins::AddRegexFunctions(r.overloads);
    builtins::AddArrayFunctions(r.overloads);
    builtins::AddBackendFunctions(r.overloads);
    builtins::AddConfigFunctions(r.overloads);
    builtins::AddDumpFunctions(r.overloads);
    for (const auto& f : r.overloads) r.by_name[f.name].push_back(&f);
    return r;
  }();
  return registry;
}

// Lower-cased, without a pg_catalog. qualifier (all built-ins live there).
std::string Lower(const std::string& s) {
  std::string out = s;
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out.rfind("pg_catalog.", 0) == 0) out.erase(0, 11);
  return out;
}

char Category(TypeId id) {
  if (id == TypeId::kBool) return 'B';
  if (IsNumericCategory(id)) return 'N';
  if (id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kBpchar) return 'S';
  if (id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz) return 'D';
  return 'U';
}

bool IsPreferred(TypeId id) {
  return id == TypeId::kFloat8 || id == TypeId::kText || id == TypeId::kTimestampTz || id == TypeId::kBool;
}

std::string Signature(const std::string& name, const std::vector<Type>& args) {
  std::string s = name + "(";
  for (size_t i = 0; i < args.size(); ++i) s += (i ? ", " : "") + FormatType(Type::Of(args[i].id));
  return s + ")";
}

using Candidates = std::vector<const FunctionOverload*>;

// Keeps the candidates scoring highest; `score` returns a count per candidate.
template <typename Score>
Candidates KeepBest(const Candidates& in, Score score) {
  int best = -1;
  Candidates out;
  for (const auto* c : in) {
    int s = score(*c);
    if (s > best) {
      best = s;
      out.clear();
    }
    if (s == best) out.push_back(c);
  }
  return out;
}

// Step "resolve unknown literals by category": at each unknown position pick
// the string category if any candidate takes a string there, else the only
// category offered; drop candidates that disagree.
Candidates ResolveUnknowns(Candidates in, const std::vector<Type>& args) {
  for (size_t i = 0; i < args.size() && in.size() > 1; ++i) {
    if (args[i].id != TypeId::kUnknown) continue;
    char category = 0;
    bool conflict = false, string_seen = false;
    TypeId preferred = TypeId::kUnknown;
    for (const auto* c : in) {
      TypeId t = c->arg_types[i];
      if (Category(t) == 'S') string_seen = true;
      if (category == 0)
        category = Category(t);
      else if (category != Category(t))
        conflict = true;
      if (IsPreferred(t)) preferred = t;
    }
    if (string_seen)
      category = 'S';
    else if (conflict)
      return in;  // ambiguous; the caller reports it
    Candidates kept;
    for (const auto* c : in)
      if (Category(c->arg_types[i]) == category) kept.push_back(c);
    // Within the category, a candidate taking the preferred type wins.
    if (preferred != TypeId::kUnknown && Category(preferred) == category) {
      Candidates pref;
      for (const auto* c : kept)
        if (c->arg_types[i] == preferred) pref.push_back(c);
      if (!pref.empty()) kept = pref;
    }
    in = kept;
  }
  return in;
}

// Last resort (PostgreSQL 9.5+): when every known argument has the same
// type, read the unknown literals as that type too and keep the candidates
// that accept it everywhere.
Candidates AssumeKnownType(const Candidates& in, const std::vector<Type>& args) {
  TypeId known = TypeId::kUnknown;
  bool has_unknown = false;
  for (const Type& t : args) {
    if (t.id == TypeId::kUnknown) {
      has_unknown = true;
    } else if (known == TypeId::kUnknown) {
      known = t.id;
    } else if (known != t.id) {
      return in;
    }
  }
  if (!has_unknown || known == TypeId::kUnknown) return in;
  Candidates out;
  for (const auto* c : in) {
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok && !c->variadic_any; ++i) ok = CanImplicitCast(known, c->arg_types[i]);
    if (ok) out.push_back(c);
  }
  return out.size() == 1 ? out : in;
}

ResolvedFunction Finish(const FunctionOverload* f, const std::vector<Type>& args) {
  ResolvedFunction r;
  r.overload = f;
  for (size_t i = 0; i < args.size(); ++i) {
    if (f->variadic_any) {
      r.arg_casts.push_back(args[i].id == TypeId::kUnknown ? Type::Of(TypeId::kText) : args[i]);
    } else {
      TypeId want = f->arg_types[i];
      r.arg_casts.push_back(args[i].id == want ? args[i] : Type::Of(want));
    }
  }
  TypeId ret = f->return_type;
  if (ret == TypeId::kUnknown) {
    r.return_type = r.arg_casts.empty() ? Type::Of(TypeId::kText) : Type::Of(r.arg_casts[0].id);
  } else {
    r.return_type = Type::Of(ret);
  }
  return r;
}

bool IsPolymorphic(TypeId id) { return id == TypeId::kAnyArray || id == TypeId::kAnyElement; }

bool IsPolymorphic(const FunctionOverload& f) {
  return IsPolymorphic(f.return_type) || std::any_of(f.arg_types.begin(), f.arg_types.end(),
                                                      [](TypeId t) { return IsPolymorphic(t); });
}

// A polymorphic overload: the arrays' element types and the anyelement
// arguments meet in one common element type (unknown literals follow it);
// nullopt when the arguments do not fit.
std::optional<ResolvedFunction> ResolvePolymorphic(const FunctionOverload& f, const std::vector<Type>& args) {
  if (f.arg_types.size() != args.size()) return std::nullopt;
  std::vector<Type> elements;
  for (size_t i = 0; i < args.size(); ++i) {
    TypeId want = f.arg_types[i], in = args[i].id;
    if (IsPolymorphic(want) && in == TypeId::kUnknown) continue;
    if (want == TypeId::kAnyArray) {
      if (!IsArrayType(in)) return std::nullopt;
      elements.push_back(Type::Of(ArrayElementType(in)));
    } else if (want == TypeId::kAnyElement) {
      if (IsArrayType(in)) return std::nullopt;
      elements.push_back(Type::Of(in));
    } else if (!CanImplicitCast(in, want)) {
      return std::nullopt;
    }
  }
  // Only unknown literals where the element type should come from: PostgreSQL's 42804.
  if (elements.empty())
    throw SqlError(sqlstate::kDatatypeMismatch, "could not determine polymorphic type because input has type unknown");
  Type element;
  try {
    element = CommonType(elements, "function");
  } catch (const SqlError&) {
    return std::nullopt;
  }
  const Type array = Type::Of(ArrayTypeOf(element.id));
  if (array.id == TypeId::kUnknown) return std::nullopt;
  auto concrete = [&](TypeId t) { return t == TypeId::kAnyArray ? array : t == TypeId::kAnyElement ? element : Type::Of(t); };
  ResolvedFunction r;
  r.overload = &f;
  for (size_t i = 0; i < args.size(); ++i) {
    Type want = concrete(f.arg_types[i]);
    r.arg_casts.push_back(args[i].id == want.id ? args[i] : want);
  }
  r.return_type = concrete(f.return_type);
  return r;
}

}  // namespace

bool IsKnownFunction(const std::string& name) { return GetRegistry().by_name.count(Lower(name)) != 0; }

const std::vector<FunctionOverload>& BuiltinFunctionOverloads() { return GetRegistry().overloads; }

ResolvedFunction ResolveFunction(const std::string& raw_name, const std::vector<Type>& args) {
  const std::string name = Lower(raw_name);
  const auto& reg = GetRegistry();
  auto it = reg.by_name.find(name);
  Candidates candidates;
  if (it != reg.by_name.end()) {
    for (const auto* f : it->second) {
      if (IsPolymorphic(*f)) continue;  // tried below, when nothing else fits
      if (f->variadic_any) {
        if (!args.empty()) candidates.push_back(f);
        continue;
      }
      if (f->arg_types.size() != args.size()) continue;
      bool exact = true, reachable = true;
      for (size_t i = 0; i < args.size(); ++i) {
        exact = exact && args[i].id == f->arg_types[i];
        reachable = reachable && CanImplicitCast(args[i].id, f->arg_types[i]);
      }
      if (exact) return Finish(f, args);
      if (reachable) candidates.push_back(f);
    }
  }
  if (candidates.empty() && it != reg.by_name.end()) {
    for (const auto* f : it->second)
      if (IsPolymorphic(*f))
        if (auto r = ResolvePolymorphic(*f, args)) return *r;
  }
  if (candidates.empty()) throw SqlError::UndefinedFunction(Signature(name, args));
  if (candidates.size() > 1) {
    candidates = KeepBest(candidates, [&](const FunctionOverload& f) {
      int n = 0;
      for (size_t i = 0; i < args.size() && !f.variadic_any; ++i) n += args[i].id == f.arg_types[i];
      return n;
    });
  }
  if (candidates.size() > 1) {
    candidates = KeepBest(candidates, [&](const FunctionOverload& f) {
      int n = 0;
      for (size_t i = 0; i < args.size() && !f.variadic_any; ++i) {
        TypeId in = args[i].id, want = f.arg_types[i];
        if (in == TypeId::kUnknown) continue;  // unknown literals are settled by category below
        n += in == want || (IsPreferred(want) && Category(want) == Category(in));
      }
      return n;
    });
  }
  if (candidates.size() > 1) candidates = ResolveUnknowns(candidates, args);
  if (candidates.size() > 1) candidates = AssumeKnownType(candidates, args);
  if (candidates.size() != 1)
    throw SqlError(sqlstate::kAmbiguousFunction, "function " + Signature(name, args) + " is not unique", {},
                   "Could not choose a best candidate function. You might need to add explicit type casts.");
  return Finish(candidates[0], args);
}

}  // namespace tessera
