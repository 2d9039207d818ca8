// The functions on server processes, as PostgreSQL 15's: pg_backend_pid,
// pg_cancel_backend and pg_terminate_backend, over the sessions of this
// server process (common/session_activity.h; on a cluster, of the gateway
// the client is connected to).
#include <chrono>

#include "common/builtin_registry.h"
#include "common/catalog_view.h"
#include "common/error.h"
#include "common/fiber.h"
#include "common/session_activity.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kInt4 = TypeId::kInt4, kInt8 = TypeId::kInt8, kBool = TypeId::kBool;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

// PostgreSQL's pg_signal_backend checks: 42501 with its DETAIL.
void CheckMaySignal(const Ctx& ctx, const std::string& user, bool terminate) {
  if (ctx.catalog == nullptr)
    throw SqlError::FeatureNotSupported(std::string(terminate ? "pg_terminate_backend" : "pg_cancel_backend") +
                                        "() cannot run where the catalog is not reachable");
  const char* message = terminate ? "permission denied to terminate process" : "permission denied to cancel query";
  switch (ctx.catalog->MaySignal(user)) {
    case CatalogView::SignalRight::kAllowed: return;
    case CatalogView::SignalRight::kSuperuserOnly:
      throw SqlError(sqlstate::kInsufficientPrivilege, message,
                     terminate ? "Only roles with the SUPERUSER attribute may terminate processes of roles with the "
                                 "SUPERUSER attribute."
                               : "Only roles with the SUPERUSER attribute may cancel queries of roles with the "
                                 "SUPERUSER attribute.");
    case CatalogView::SignalRight::kDenied:
      throw SqlError(sqlstate::kInsufficientPrivilege, message,
                     terminate ? "Only roles with privileges of the role whose process is being terminated or with "
                                 "privileges of the \"pg_signal_backend\" role may terminate this process."
                               : "Only roles with privileges of the role whose query is being canceled or with "
                                 "privileges of the \"pg_signal_backend\" role may cancel this query.");
  }
}

// false for a pid that is no session here (PostgreSQL also warns).
Value SignalBackend(int32_t pid, const Ctx& ctx, bool terminate, int64_t timeout_ms) {
  if (timeout_ms < 0) throw SqlError(sqlstate::kNumericValueOutOfRange, "\"timeout\" must not be negative");
  std::optional<SessionActivity> target = ActivityRegistry::Find(pid);
  if (!target) return Value::Bool(false);
  CheckMaySignal(ctx, target->user, terminate);
  if (!ActivityRegistry::Signal(pid, terminate)) return Value::Bool(false);
  if (timeout_ms == 0 || pid == ctx.backend_pid) return Value::Bool(true);
  // With a timeout: true once the session is gone, false if it outlives it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (ActivityRegistry::Find(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return Value::Bool(false);
    WaitSlot::Make()->Wait(std::chrono::milliseconds(10));  // parks a fiber instead of holding its worker
  }
  return Value::Bool(true);
}

}  // namespace

void AddBackendFunctions(std::vector<FunctionOverload>& out) {
  Add(out, "pg_backend_pid", {}, kInt4, [](const Args&, const Ctx& ctx) { return Value::Int4(ctx.backend_pid); }, true);
  Add(out, "pg_cancel_backend", {kInt4}, kBool,
      [](const Args& a, const Ctx& ctx) { return SignalBackend(static_cast<int32_t>(a[0].GetInt()), ctx, false, 0); },
      true);
  Add(out, "pg_terminate_backend", {kInt4}, kBool,
      [](const Args& a, const Ctx& ctx) { return SignalBackend(static_cast<int32_t>(a[0].GetInt()), ctx, true, 0); },
      true);
  Add(out, "pg_terminate_backend", {kInt4, kInt8}, kBool,
      [](const Args& a, const Ctx& ctx) {
        return SignalBackend(static_cast<int32_t>(a[0].GetInt()), ctx, true, a[1].GetInt());
      },
      true);
}

}  // namespace tessera::builtins
