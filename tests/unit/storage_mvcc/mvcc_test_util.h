// Shared fixture for the MVCC tests: a fresh engine in a temporary directory,
// without fsync or the GC thread, reopenable to test restarts.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "common/error.h"
#include "storage/mvcc/mvcc_engine.h"
#include "storage/mvcc/mvcc_transaction.h"

namespace tessera::storage::mvcc {

class MvccTest : public ::testing::Test {
 public:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tessera_mvcc_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    options_.engine.sync = false;
    options_.engine.map_size = size_t{1} << 30;
    options_.gc_interval = std::chrono::milliseconds(0);
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    engine_.reset();
    engine_ = MvccEngine::Open(dir_.string(), options_);
  }
  std::unique_ptr<MvccTransaction> Begin(IsolationLevel level = IsolationLevel::kRepeatableRead) {
    TxnOptions options;
    options.isolation = level;
    return engine_->Begin(options);
  }
  void PutCommitted(const std::string& key, const std::string& value) {
    auto txn = Begin();
    txn->Put(key, value);
    txn->Commit();
  }
  std::optional<std::string> ReadCommitted(const std::string& key) {
    auto txn = Begin();
    auto value = txn->Get(key);
    txn->Rollback();
    return value;
  }

  std::filesystem::path dir_;
  MvccOptions options_;
  std::unique_ptr<MvccEngine> engine_;
};

// The SQLSTATE of the SqlError `fn` throws, or "" if it throws none.
template <typename Fn>
std::string SqlstateOf(Fn&& fn) {
  try {
    fn();
  } catch (const SqlError& e) {
    return e.Sqlstate();
  }
  return "";
}

}  // namespace tessera::storage::mvcc
