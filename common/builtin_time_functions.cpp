// Date/time built-ins. now() and its synonyms return the transaction start
// from the FunctionContext (not the clock), so every row and statement of a
// transaction sees the same time, as in PostgreSQL.
#include "common/builtin_registry.h"
#include "common/datetime.h"

namespace tessera::builtins {
namespace {

using Args = std::vector<Value>;
using Ctx = FunctionContext;

const std::string& Zone(const Ctx& ctx) {
  static const std::string kUtc = "UTC";
  return ctx.format ? ctx.format->time_zone : kUtc;
}

}  // namespace

void AddTimeFunctions(std::vector<FunctionOverload>& out) {
  constexpr TypeId kTsTz = TypeId::kTimestampTz;
  auto txn = [](const Args&, const Ctx& ctx) { return Value::TimestampTz(ctx.transaction_timestamp); };
  for (const char* n : {"now", "current_timestamp", "transaction_timestamp"}) Add(out, n, {}, kTsTz, txn, true);
  Add(
      out, "statement_timestamp", {}, kTsTz,
      [](const Args&, const Ctx& ctx) { return Value::TimestampTz(ctx.statement_timestamp); }, true);
  Add(
      out, "clock_timestamp", {}, kTsTz,
      [](const Args&, const Ctx&) { return Value::TimestampTz(datetime::CurrentTimestamp()); }, true);
  Add(
      out, "current_date", {}, TypeId::kDate,
      [](const Args&, const Ctx& ctx) {
        int64_t local = datetime::UtcToLocal(ctx.transaction_timestamp, Zone(ctx));
        return Value::Date(datetime::TimestampToDate(local));
      },
      true);
  Add(
      out, "localtimestamp", {}, TypeId::kTimestamp,
      [](const Args&, const Ctx& ctx) {
        return Value::Timestamp(datetime::UtcToLocal(ctx.transaction_timestamp, Zone(ctx)));
      },
      true);
}

}  // namespace tessera::builtins
