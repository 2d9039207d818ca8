// Window definitions: the `OVER (...)` of a window function call and the
// entries of a SELECT's `WINDOW name AS (...)` clause. Immutable once built,
// so copies of an expression or statement share them (as WITH clauses are).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/ast/expr.h"

namespace tessera::ast {

// ORDER BY items of a window; the same shape as a SELECT's (select_stmt.h).
struct OrderItem;

enum class FrameMode : uint8_t { kRange, kRows, kGroups };
enum class FrameBoundKind : uint8_t { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };
enum class FrameExclusion : uint8_t { kNoOthers, kCurrentRow, kGroup, kTies };

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  std::shared_ptr<const Expr> offset;  // kPreceding, kFollowing: `n` of n PRECEDING
  int location = -1;
};

// ROWS | RANGE | GROUPS [BETWEEN] start [AND end] [EXCLUDE ...]. Without
// BETWEEN, the end is CURRENT ROW (as PostgreSQL's gram.y fills it in).
struct WindowFrame {
  FrameMode mode = FrameMode::kRange;
  FrameBound start;
  FrameBound end;
  FrameExclusion exclusion = FrameExclusion::kNoOthers;
  int location = -1;
};

struct WindowSpec {
  // `OVER w` (bare_ref) or `OVER (w ORDER BY ...)`: the WINDOW clause entry
  // this one starts from; empty when none.
  std::string ref;
  bool bare_ref = false;
  std::vector<std::shared_ptr<const Expr>> partition_by;
  std::vector<std::shared_ptr<const OrderItem>> order_by;
  std::optional<WindowFrame> frame;
  int location = -1;
};
using WindowSpecRef = std::shared_ptr<const WindowSpec>;

// One entry of WINDOW name AS (...).
struct WindowDef {
  std::string name;
  WindowSpecRef spec;
  int location = -1;
};

}  // namespace tessera::ast
