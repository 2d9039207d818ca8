// ORDER BY ... LIMIT n: the first n rows in sort order of those offered,
// kept in a bounded max-heap instead of sorting all of them, so a top-10
// of a million rows takes O(rows log 10) time and 10 rows of memory (it
// used to keep and sort every row). Rows with equal keys come out in the
// order they were offered, as a stable sort gives them, so results do not
// depend on the method.
#pragma once

#include <cstdint>
#include <vector>

#include "common/memory_account.h"
#include "executor/sort_util.h"

namespace tessera::executor {

class TopN {
 public:
  // `memory` (may be null) is charged for the rows kept, under `context`.
  TopN(const std::vector<planner::SortKey>& keys, size_t limit, MemoryAccount* memory, const char* context);

  // Whether a row with these sort keys would be kept: check this before
  // building a row that is likely to be thrown away.
  bool Admits(const std::vector<Value>& keys) const;
  // Keeps `row` if it is among the first `limit` so far (evicting the last).
  void Offer(KeyedRow row);
  // The same for a row whose sort keys are evaluated here: into a reused
  // buffer first, so a row that is not kept costs no allocation.
  void Offer(Row row, const planner::EvalContext& ctx);
  // The rows kept, in sort order; the TopN is empty (and uncharged) after.
  std::vector<Row> TakeSorted();
  int64_t Charged() const { return charge_.Charged(); }
  // Gives the charge back but keeps the rows: before they are freed off
  // the statement's thread, when the account may be gone first.
  void Uncharge() { charge_.Reset(); }

 private:
  struct Entry {
    KeyedRow keyed;
    uint64_t seq;   // arrival order: the tie-break that keeps the sort stable
    int64_t bytes;  // charged for it
  };
  // Whether `a` comes before `b` in the output.
  bool Before(const Entry& a, const Entry& b) const;

  const std::vector<planner::SortKey>& keys_;
  size_t limit_;
  std::vector<Entry> heap_;  // a max-heap by Before: the front is the last row kept
  uint64_t next_seq_ = 0;
  std::vector<Value> probe_;  // the keys of the row being offered
  // Each key's column in the offered row when every key is a plain column
  // (ORDER BY v): a row is then judged in place, and a row not kept copies
  // nothing (a text key would cost an allocation per row). Else empty.
  std::vector<size_t> key_columns_;
  MemoryCharge charge_;
};

}  // namespace tessera::executor
