// set_config() and current_setting(): the session's settings as functions.
// pg_dump and pg_restore open with set_config('search_path', '', false), and
// drivers read current_setting('server_version_num'). The session answers
// through ctx.settings (common/settings_access.h); both are volatile, so the
// binder never folds them into a constant at plan time.
#include "common/builtin_registry.h"
#include "common/error.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kText = TypeId::kText, kBool = TypeId::kBool;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

SettingsAccess& Settings(const Ctx& ctx, const char* function) {
  if (!ctx.settings)
    throw SqlError::FeatureNotSupported(std::string(function) + "() cannot run where the session is not reachable");
  return *ctx.settings;
}

// Not strict, as PostgreSQL's: a NULL value resets the setting, a NULL
// is_local is false; only the name must be given.
Value SetConfig(const Args& a, const Ctx& ctx) {
  if (a[0].IsNull()) throw SqlError(sqlstate::kNullValueNotAllowed, "SET requires parameter name");
  std::optional<std::string> value;
  if (!a[1].IsNull()) value = a[1].GetString();
  bool is_local = !a[2].IsNull() && a[2].GetBool();
  return Value::Text(Settings(ctx, "set_config").SetConfig(a[0].GetString(), value, is_local));
}

Value CurrentSetting(const Args& a, const Ctx& ctx, bool missing_ok) {
  std::optional<std::string> v = Settings(ctx, "current_setting").CurrentSetting(a[0].GetString(), missing_ok);
  return v ? Value::Text(*v) : Value::Null(Type::Of(kText));
}

}  // namespace

void AddConfigFunctions(std::vector<FunctionOverload>& out) {
  Add(out, "set_config", {kText, kText, kBool}, kText, SetConfig, true, false);
  Add(
      out, "current_setting", {kText}, kText,
      [](const Args& a, const Ctx& ctx) { return CurrentSetting(a, ctx, false); }, true);
  Add(
      out, "current_setting", {kText, kBool}, kText,
      [](const Args& a, const Ctx& ctx) { return CurrentSetting(a, ctx, a[1].GetBool()); }, true);
}

}  // namespace tessera::builtins
