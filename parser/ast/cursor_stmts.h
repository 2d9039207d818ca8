// SQL cursors (DECLARE, FETCH/MOVE, CLOSE) and DISCARD, which also closes them.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "parser/ast/select_stmt.h"
#include "parser/ast/statement.h"

namespace tessera::ast {

// DECLARE name [BINARY] [NO SCROLL | SCROLL] CURSOR [WITH | WITHOUT HOLD] FOR query.
struct DeclareCursorStmt : Statement {
  DeclareCursorStmt() : Statement(StmtKind::kDeclareCursor) {}
  std::string name;
  bool binary = false;
  bool scroll = false;     // SCROLL written
  bool no_scroll = false;  // NO SCROLL written
  bool hold = false;       // WITH HOLD
  std::unique_ptr<SelectStmt> query;
  std::string query_text;  // as written
};

// PostgreSQL's FetchDirection: NEXT, PRIOR, FIRST, LAST, n and the rest all
// map onto these four with a signed count, as its grammar does.
enum class FetchDirection : uint8_t { kForward, kBackward, kAbsolute, kRelative };

// FETCH or MOVE [direction] [FROM | IN] name.
struct FetchStmt : Statement {
  static constexpr int64_t kAll = std::numeric_limits<int64_t>::max();  // FETCH_ALL
  FetchStmt() : Statement(StmtKind::kFetch) {}
  std::string name;
  FetchDirection direction = FetchDirection::kForward;
  int64_t count = 1;  // kAll for ALL
  bool move = false;  // MOVE: counts the rows instead of returning them
};

struct CloseCursorStmt : Statement {
  CloseCursorStmt() : Statement(StmtKind::kCloseCursor) {}
  std::string name;  // empty with `all`
  bool all = false;
};

enum class DiscardTarget : uint8_t { kAll, kPlans, kSequences, kTemp };

struct DiscardStmt : Statement {
  DiscardStmt() : Statement(StmtKind::kDiscard) {}
  DiscardTarget target = DiscardTarget::kAll;
};

}  // namespace tessera::ast
