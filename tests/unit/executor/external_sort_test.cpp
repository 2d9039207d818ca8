// ExternalSort (executor/external_sort.h): runs written to temporary files
// and merged give what one stable sort of all the rows gives, with one merge
// pass or several (more than kMergeWidth runs), and the files are removed.
#include "executor/external_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "planner/bound_expr.h"

namespace tessera::executor {
namespace {

const Type kInt8 = Type::Of(TypeId::kInt8);
const Type kText = Type::Of(TypeId::kText);

std::vector<planner::SortKey> ByKey() {
  planner::SortKey key;
  key.expr = planner::MakeColumnExpr(0, kInt8);
  return {key};
}

class ExternalSortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("external_sort_test." + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  size_t Files() const {
    return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
  }

  // Sorts `rows` (key, arrival, text) in runs of `run_rows`, as PhysicalSort
  // does past work_mem, and returns the merged output.
  std::vector<Row> SortInRuns(const std::vector<Row>& rows, size_t run_rows, size_t* files_written) {
    keys_ = ByKey();
    planner::EvalContext eval;
    ExternalSort sort(keys_, poll_, dir_.string());
    std::vector<KeyedRow> run;
    *files_written = 0;
    auto flush = [&] {
      std::stable_sort(run.begin(), run.end(),
                       [&](const KeyedRow& a, const KeyedRow& b) { return CompareKeys(a.keys, b.keys, keys_) < 0; });
      sort.AddRun(&run);
      ++*files_written;
    };
    for (auto& row : rows) {
      run.push_back(MakeKeyed(row, keys_, eval));
      if (run.size() == run_rows) flush();
    }
    if (!run.empty()) flush();
    EXPECT_EQ(Files(), *files_written);
    sort.FinishInput();
    std::vector<Row> out;
    Batch batch;
    while (sort.Next(&batch))
      for (auto& row : batch) out.push_back(row);
    return out;
  }

  std::filesystem::path dir_;
  std::vector<planner::SortKey> keys_;
  StatementPoll poll_;
};

std::vector<Row> RandomRows(size_t n, int64_t distinct_keys) {
  std::mt19937_64 rng(42);
  std::vector<Row> rows;
  for (size_t i = 0; i < n; ++i) {
    int64_t k = static_cast<int64_t>(rng() % static_cast<uint64_t>(distinct_keys));
    rows.push_back({i % 13 == 0 ? Value::Null(kInt8) : Value::Int8(k), Value::Int8(static_cast<int64_t>(i)),
                    Value::Text("row " + std::to_string(i), kText)});
  }
  return rows;
}

std::vector<Row> StableSorted(std::vector<Row> rows) {
  std::vector<planner::SortKey> keys = ByKey();
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const Row& a, const Row& b) { return CompareKeys({a[0]}, {b[0]}, keys) < 0; });
  return rows;
}

TEST_F(ExternalSortTest, OneMergePassIsAStableSort) {
  std::vector<Row> rows = RandomRows(5000, 50);  // many ties: arrival order must survive the merge
  size_t files = 0;
  std::vector<Row> out = SortInRuns(rows, 400, &files);
  EXPECT_EQ(files, 13u);
  EXPECT_EQ(out, StableSorted(rows));
}

TEST_F(ExternalSortTest, MoreRunsThanTheMergeWidthTakeExtraPasses) {
  std::vector<Row> rows = RandomRows(20000, 300);
  size_t files = 0;
  std::vector<Row> out = SortInRuns(rows, 97, &files);
  EXPECT_GT(files, ExternalSort::kMergeWidth * 3);
  EXPECT_EQ(out, StableSorted(rows));
}

TEST_F(ExternalSortTest, FilesAreRemovedWhenTheSortGoesUnread) {
  keys_ = ByKey();
  planner::EvalContext eval;
  {
    ExternalSort sort(keys_, poll_, dir_.string());
    for (int r = 0; r < 3; ++r) {
      std::vector<KeyedRow> run;
      for (auto& row : RandomRows(100, 10)) run.push_back(MakeKeyed(row, keys_, eval));
      sort.AddRun(&run);
    }
    EXPECT_EQ(Files(), 3u);
    EXPECT_GT(sort.DiskBytes(), 0);
  }  // a failed or cancelled statement drops its operators without reading them
  EXPECT_EQ(Files(), 0u);
}

}  // namespace
}  // namespace tessera::executor
