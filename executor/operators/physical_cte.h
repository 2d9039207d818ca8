// WITH at run time (planner/logical_cte.h). A CTE's query runs once per
// statement: the first of its scans to read creates it, and the rows it has
// produced so far are kept on a tape every scan reads at its own pace, so
// the query runs only as far as the furthest reader needs (a LIMIT over an
// endless WITH RECURSIVE ends). A CTE read by one scan keeps no tape.
// Recursive CTEs iterate: the recursive term's operator tree is built again
// for each round and reads the previous round's rows as its work table.
#pragma once

#include "executor/operators/row_hash.h"
#include "executor/physical_operator.h"
#include "planner/logical_cte.h"

namespace tessera::executor {

// The rows of one CTE produced so far, shared by its scans.
struct CteTape {
  PhysicalRef producer;  // null once exhausted
  std::vector<Row> rows;
  bool filling = false;  // a scan is pulling from the producer
  MemoryCharge charge;   // rows
  // Appends the producer's next batch; false when it has no more rows.
  bool Fill();
};

class PhysicalCteScan final : public PhysicalOperator {
 public:
  PhysicalCteScan(ExecContext& ctx, const planner::LogicalCteScan& plan) : PhysicalOperator(ctx), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  const planner::LogicalCteScan& plan_;
  std::shared_ptr<CteTape> tape_;
  size_t pos_ = 0;
};

class PhysicalRecursiveUnion final : public PhysicalOperator {
 public:
  PhysicalRecursiveUnion(ExecContext& ctx, const planner::LogicalRecursiveUnion& plan);
  bool Next(Batch* out) override;

 private:
  const planner::LogicalRecursiveUnion& plan_;
  PhysicalRef term_;          // the non-recursive term, then this round's recursive term
  std::vector<Row> working_;  // the previous round's rows: the recursive term's work table
  std::vector<Row> next_;     // this round's rows so far
  RowMap<bool> seen_;         // UNION: every row produced, in any round
  MemoryCharge working_charge_, next_charge_, seen_charge_;
};

class PhysicalWorkTableScan final : public PhysicalOperator {
 public:
  PhysicalWorkTableScan(ExecContext& ctx, const planner::LogicalWorkTableScan& plan)
      : PhysicalOperator(ctx), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  const planner::LogicalWorkTableScan& plan_;
  size_t pos_ = 0;
};

}  // namespace tessera::executor
