// POSIX regular-expression matches: the ~, ~*, !~ and !~* operators (the
// binder maps them to PostgreSQL's textregexeq, texticregexeq, textregexne
// and texticregexne). std::regex's ECMAScript grammar covers the patterns
// clients send (anchors, classes, alternation, quantifiers); PostgreSQL's
// ARE extensions (back-references by \m, embedded options) are not.
#include <list>
#include <mutex>
#include <regex>
#include <utility>

#include "common/builtin_registry.h"
#include "common/error.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kText = TypeId::kText, kBool = TypeId::kBool;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

// Compiling dominates a match, and a catalog query applies one pattern to
// every row: keep the last few compiled patterns per thread.
const std::regex& Compiled(const std::string& pattern, bool icase) {
  thread_local std::list<std::pair<std::string, std::regex>> cache;
  std::string key = (icase ? "i:" : "c:") + pattern;
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->first == key) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().second;
    }
  }
  auto flags = std::regex::ECMAScript | (icase ? std::regex::icase : std::regex::ECMAScript);
  try {
    cache.emplace_front(key, std::regex(pattern, flags));
  } catch (const std::regex_error& e) {
    throw SqlError("2201B", "invalid regular expression: " + std::string(e.what()));
  }
  if (cache.size() > 16) cache.pop_back();
  return cache.front().second;
}

Value Match(const Args& a, bool icase, bool negate) {
  bool found = std::regex_search(a[0].GetString(), Compiled(a[1].GetString(), icase));
  return Value::Bool(found != negate);
}

}  // namespace

void AddRegexFunctions(std::vector<FunctionOverload>& out) {
  Add(out, "textregexeq", {kText, kText}, kBool, [](const Args& a, const Ctx&) { return Match(a, false, false); });
  Add(out, "textregexne", {kText, kText}, kBool, [](const Args& a, const Ctx&) { return Match(a, false, true); });
  Add(out, "texticregexeq", {kText, kText}, kBool, [](const Args& a, const Ctx&) { return Match(a, true, false); });
  Add(out, "texticregexne", {kText, kText}, kBool, [](const Args& a, const Ctx&) { return Match(a, true, true); });
}

}  // namespace tessera::builtins
