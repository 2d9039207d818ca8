// FETCH and MOVE over a cursor, transcribed from PostgreSQL 15's pquery.c
// (DoPortalRunFetch, PortalRunSelect, DoPortalRewind) so that positions,
// counts and the NO SCROLL errors match it case by case.
#include "executor/sql_cursor.h"

#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

constexpr int64_t kAll = ast::FetchStmt::kAll;

bool Short(int64_t count, int64_t got) { return count == kAll || got < count; }

// Takes a portal's rows: keeps them (SCROLL) and passes them on (FETCH).
class PullSink final : public ResultSink {
 public:
  PullSink(std::vector<tessera::Row>* keep, MemoryAccount& memory, ResultSink* dest)
      : keep_(keep), memory_(memory), dest_(dest) {}
  void Columns(const std::vector<ColumnDesc>&) override {}
  void Row(const tessera::Row& row) override {
    ++rows;
    if (keep_ != nullptr) {
      memory_.Grow(EstimateRowBytes(row), "PortalHoldStore");
      keep_->push_back(row);
    }
    if (dest_ != nullptr) dest_->Row(row);
  }
  void Complete(const std::string&) override {}
  void EmptyQuery() override {}
  void Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) override {
    if (dest_ != nullptr) dest_->Notice(severity, sqlstate, message);
  }
  int64_t rows = 0;

 private:
  std::vector<tessera::Row>* keep_;
  MemoryAccount& memory_;
  ResultSink* dest_;
};

}  // namespace

SqlCursor::SqlCursor(Info info, std::unique_ptr<SqlPortal> portal, int64_t memory_limit)
    : info_(std::move(info)),
      columns_(portal->ResultColumns()),
      portal_(std::move(portal)),
      memory_("PortalHoldStore", memory_limit) {}

SqlCursor::~SqlCursor() = default;

const std::vector<ColumnDesc>& SqlCursor::Columns() const { return columns_; }

void SqlCursor::NoBackward() const {
  throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "cursor can only scan forward", {},
                 "Declare it with SCROLL option to enable backward scan.");
}

int64_t SqlCursor::Pull(int64_t count, ResultSink* dest, bool keep) {
  if (exhausted_) return 0;
  portal_->RestartDeadline();
  PullSink sink(keep ? &rows_ : nullptr, memory_, dest);
  bool done = false;
  try {
    done = portal_->Execute(count == kAll ? 0 : static_cast<size_t>(count), sink);
  } catch (...) {
    pulled_ += sink.rows;  // the rows it did produce (and kept) count
    broken_ = true;        // for Hold's callers; Fetch marks it too
    throw;
  }
  pulled_ += sink.rows;
  if (done) exhausted_ = true;
  return sink.rows;
}

int64_t SqlCursor::Forward(int64_t count, ResultSink* dest) {
  int64_t n = 0;
  // A SCROLL cursor that went back reads its kept rows again first.
  while (Short(count, n) && current_ >= kept_base_ && current_ < kept_base_ + static_cast<int64_t>(rows_.size())) {
    if (dest != nullptr) dest->Row(rows_[current_ - kept_base_]);
    ++current_;
    ++n;
  }
  if (Short(count, n) && current_ == pulled_) {
    int64_t got = Pull(count == kAll ? kAll : count - n, dest, info_.scroll);
    current_ += got;
    n += got;
  }
  if (Short(count, n)) current_ = pulled_ + 1;  // past the last row
  return n;
}

int64_t SqlCursor::RunSelect(bool forward, int64_t count, ResultSink* dest) {
  if (forward) {
    if (at_end_ || count <= 0) return 0;
    int64_t n = Forward(count, dest);
    if (n > 0) at_start_ = false;
    if (Short(count, n)) at_end_ = true;
    portal_pos_ += n;
    return n;
  }
  if (!info_.scroll) NoBackward();
  if (at_start_ || count <= 0) return 0;
  int64_t n = 0;
  while (Short(count, n) && current_ > 1) {
    --current_;
    if (dest != nullptr) dest->Row(rows_[current_ - 1]);
    ++n;
  }
  if (Short(count, n)) current_ = 0;  // before the first row
  if (n > 0 && at_end_) {
    at_end_ = false;
    ++portal_pos_;  // PostgreSQL's "adjust for endpoint case"
  }
  if (Short(count, n)) {
    at_start_ = true;
    portal_pos_ = 0;
  } else {
    portal_pos_ -= n;
  }
  return n;
}

void SqlCursor::Hold() {
  if (Held() || broken_) return;
  if (!info_.scroll) {
    // A NO SCROLL cursor keeps only the rows it has not returned yet.
    rows_.clear();
    kept_base_ = pulled_;
  }
  Pull(kAll, nullptr, true);
  exhausted_ = true;
  portal_.reset();
}

void SqlCursor::Rewind() {
  // Nothing to do (and no NO SCROLL error) before the cursor has moved.
  if (at_start_ && !at_end_) return;
  if (!info_.scroll) NoBackward();
  current_ = 0;
  at_start_ = true;
  at_end_ = false;
  portal_pos_ = 0;
}

int64_t SqlCursor::Fetch(ast::FetchDirection direction, int64_t count, ResultSink* dest) {
  // A cursor whose FETCH failed cannot run again (PortalRunFetch marks it
  // failed), which shows after ROLLBACK TO a savepoint older than the failure.
  if (broken_) throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "portal \"" + info_.name + "\" cannot be run");
  try {
    return Run(direction, count, dest);
  } catch (...) {
    broken_ = true;
    throw;
  }
}

int64_t SqlCursor::Run(ast::FetchDirection direction, int64_t count, ResultSink* dest) {
  using ast::FetchDirection;
  switch (direction) {
    case FetchDirection::kForward:
      if (count < 0) {
        direction = FetchDirection::kBackward;
        count = -count;
      }
      break;
    case FetchDirection::kBackward:
      if (count < 0) {
        direction = FetchDirection::kForward;
        count = -count;
      }
      break;
    case FetchDirection::kAbsolute:
      if (count > 0) {
        // Rewind and advance, or move from where the cursor stands when
        // that is nearer: the choice decides whether a NO SCROLL cursor
        // fails, so it is PostgreSQL's.
        if (portal_pos_ == kAll || count - 1 < portal_pos_ / 2) {
          Rewind();
          if (count > 1) RunSelect(true, count - 1, nullptr);
        } else {
          int64_t pos = portal_pos_;
          if (at_end_) pos++;  // one extra fetch when off the end
          if (count <= pos)
            RunSelect(false, pos - count + 1, nullptr);
          else if (count > pos + 1)
            RunSelect(true, count - pos - 1, nullptr);
        }
        return RunSelect(true, 1, dest);
      }
      if (count < 0) {
        // To the end, back abs(count) - 1 rows, then the row before.
        RunSelect(true, kAll, nullptr);
        if (count < -1) RunSelect(false, -count - 1, nullptr);
        return RunSelect(false, 1, dest);
      }
      Rewind();
      return RunSelect(true, 0, dest);
    case FetchDirection::kRelative:
      if (count > 0) {
        if (count > 1) RunSelect(true, count - 1, nullptr);
        return RunSelect(true, 1, dest);
      }
      if (count < 0) {
        if (count < -1) RunSelect(false, -count - 1, nullptr);
        return RunSelect(false, 1, dest);
      }
      direction = FetchDirection::kForward;  // RELATIVE 0 is FORWARD 0
      break;
  }
  bool forward = direction == FetchDirection::kForward;
  if (count == 0) {
    // Zero re-fetches the current row, if the cursor is on one.
    bool on_row = !at_start_ && !at_end_;
    if (dest == nullptr) return on_row ? 1 : 0;  // MOVE 0
    if (on_row) {
      RunSelect(false, 1, nullptr);
      count = 1;
      forward = true;
    }
  }
  if (!forward && count == kAll && dest == nullptr) {
    // MOVE BACKWARD ALL: a rewind, counting the rows it passed.
    int64_t result = portal_pos_;
    if (result > 0 && !at_end_) result--;
    Rewind();
    return result;
  }
  return RunSelect(forward, count, dest);
}

}  // namespace tessera::executor
