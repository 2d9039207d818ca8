// A cursor of SQL DECLARE: the portal its query streams from, and
// PostgreSQL's position bookkeeping (portalPos, atStart, atEnd) so that
// FETCH and MOVE return and count exactly what pquery.c's DoPortalRunFetch
// does, errors included.
//
// The query streams: FETCH n runs the portal for n more rows, never the
// whole result up front. Only a SCROLL cursor keeps the rows it has passed
// (to go back over them), charged to an account of the statement memory
// limit, so a scroll cursor over more rows than that fails with 53200
// rather than growing without bound (PostgreSQL spills its tuplestore to
// disk instead). A cursor declared without SCROLL is NO SCROLL here:
// PostgreSQL lets such a cursor go back only when its plan can, which is a
// planner detail; Tessera's answer is never, so it keeps nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/memory_account.h"
#include "executor/session.h"
#include "parser/ast/cursor_stmts.h"

namespace tessera::executor {

class SqlPortal;

class SqlCursor {
 public:
  struct Info {
    std::string name;
    std::string statement;  // the DECLARE as written (pg_cursors.statement)
    bool scroll = false;
    bool binary = false;
    bool hold = false;
    int64_t creation_time = 0;   // PostgreSQL timestamp microseconds
    size_t savepoint_depth = 0;  // savepoints open at DECLARE: ROLLBACK TO one of them closes it
    bool committed = false;      // WITH HOLD, its transaction committed: it outlives it
  };

  // `portal` has started (SqlPortal::StartForCursor).
  SqlCursor(Info info, std::unique_ptr<SqlPortal> portal, int64_t memory_limit);
  ~SqlCursor();

  // FETCH (rows to `sink`) or MOVE (`sink` null); returns the row count of
  // the tag. Throws 55000 for backward motion of a NO SCROLL cursor; after
  // any error the cursor cannot run again (55000), as in PostgreSQL.
  int64_t Fetch(ast::FetchDirection direction, int64_t count, ResultSink* sink);
  const std::vector<ColumnDesc>& Columns() const;
  Info& Details() { return info_; }
  const Info& Details() const { return info_; }
  // COMMIT of a WITH HOLD cursor's transaction: the rows still to come are
  // read now (PostgreSQL's PersistHoldablePortal) and kept, within the
  // statement memory limit, and the portal goes. So too at ROLLBACK TO a
  // savepoint after its DECLARE, before the writes its suspended portal
  // could still point into are undone.
  void Hold();
  // Held: it outlives the transaction that declared it.
  bool Held() const { return portal_ == nullptr; }

 private:
  // DoPortalRunFetch.
  int64_t Run(ast::FetchDirection direction, int64_t count, ResultSink* dest);
  // PortalRunSelect: up to `count` rows (kAll: every one) forward or back.
  int64_t RunSelect(bool forward, int64_t count, ResultSink* dest);
  // The rows after the current one, from the kept rows and then the portal.
  int64_t Forward(int64_t count, ResultSink* dest);
  // Pulls up to `count` (kAll: every) new rows from the portal; keeps them
  // in rows_ with `keep`.
  int64_t Pull(int64_t count, ResultSink* dest, bool keep);
  void Rewind();  // DoPortalRewind
  [[noreturn]] void NoBackward() const;

  Info info_;
  std::vector<ColumnDesc> columns_;
  std::unique_ptr<SqlPortal> portal_;  // null once held
  MemoryAccount memory_;               // the kept rows of a SCROLL cursor
  std::vector<Row> rows_;              // SCROLL: every row pulled so far; held: those not yet fetched too
  int64_t kept_base_ = 0;              // rows_[i] is row kept_base_ + i + 1
  int64_t pulled_ = 0;                 // rows the portal has produced
  bool exhausted_ = false;             // the portal has no more rows
  bool broken_ = false;                // its portal failed: it cannot run again (55000)
  // PostgreSQL's Portal fields, and where the executor stands: before row
  // current_ + 1 (0: before the first; pulled_ + 1 past the end).
  int64_t portal_pos_ = 0;
  bool at_start_ = true;
  bool at_end_ = false;
  int64_t current_ = 0;
};

}  // namespace tessera::executor
