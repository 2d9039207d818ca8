// The part of a sort that does not fit in work_mem (PostgreSQL's setting,
// 4MB by default): PhysicalSort sorts what it holds whenever its rows pass
// work_mem and hands them here as a run, written to a temporary file
// (sort_run_file.h); at the end of its input the runs are merged, at most
// kMergeWidth at a time (more runs take extra passes, each merging
// consecutive runs into one), and the last merge serves the rows in order.
// Memory: one record and one file buffer per run being merged.
//
// Stable, like the in-memory sort: each run is sorted stably, runs hold
// consecutive stretches of the input, and equal keys come from the earlier
// run first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "executor/sort_run_file.h"
#include "executor/sort_util.h"

namespace tessera::executor {

class ExternalSort {
 public:
  static constexpr size_t kMergeWidth = 64;

  // `memory` (may be null) is charged for the merge's file buffers.
  ExternalSort(const std::vector<planner::SortKey>& keys, StatementPoll& poll, std::string dir,
               MemoryAccount* memory = nullptr)
      : keys_(keys), poll_(poll), dir_(std::move(dir)), charge_(memory, "TupleSort main") {}

  // Writes `sorted` (in order) as the next run and empties it.
  void AddRun(std::vector<KeyedRow>* sorted);
  // After the last run: merges until at most kMergeWidth runs are left.
  void FinishInput();
  // The next rows in order (at most kBatchSize); false once all are out.
  bool Next(Batch* out);
  // Bytes of the runs written from the input (merge passes write as much again each).
  int64_t DiskBytes() const { return disk_bytes_; }

 private:
  // Merges runs, taking the least head each time (the earlier run on ties).
  class Merger {
   public:
    Merger(const std::vector<planner::SortKey>& keys, std::vector<std::unique_ptr<SortRunFile>> runs,
           MemoryCharge* charge);
    ~Merger() { charge_->Remove(charged_); }
    Merger(const Merger&) = delete;
    Merger& operator=(const Merger&) = delete;
    bool Pop(KeyedRow* out);

   private:
    bool Later(size_t a, size_t b) const;  // heap order: a comes after b
    const std::vector<planner::SortKey>& keys_;
    std::vector<std::unique_ptr<SortRunFile>> runs_;
    std::vector<KeyedRow> heads_;
    std::vector<size_t> heap_;
    MemoryCharge* charge_;
    int64_t charged_ = 0;  // an open run's file buffer and head, each
  };

  const std::vector<planner::SortKey>& keys_;
  StatementPoll& poll_;
  std::string dir_;
  MemoryCharge charge_;  // declared before the mergers, which give their part back when they go
  std::vector<std::unique_ptr<SortRunFile>> runs_;
  std::unique_ptr<Merger> output_;
  int64_t disk_bytes_ = 0;
};

}  // namespace tessera::executor
