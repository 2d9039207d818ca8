// Fixture for the cluster-mode tests: MvccTest with external timestamps, so
// every snapshot and commit timestamp is chosen by the test (playing the
// TSO), plus helpers for single-node commits and reads at a timestamp.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {

class ClusterTest : public MvccTest {
 public:
  void SetUp() override {
    options_.external_timestamps = true;
    options_.prepare_wait = std::chrono::milliseconds(5000);
    MvccTest::SetUp();
  }
  std::unique_ptr<MvccTransaction> BeginAt(Timestamp ts, IsolationLevel level = IsolationLevel::kRepeatableRead) {
    TxnOptions options;
    options.isolation = level;
    return engine_->BeginAt(options, ts);
  }
  // Prepares `key` = `value` (nullopt: delete) read at `snapshot`, not yet
  // committed.
  std::unique_ptr<MvccTransaction> PrepareKey(const std::string& key, std::optional<std::string> value,
                                              Timestamp snapshot, const std::string& id = "", bool durable = false) {
    auto txn = BeginAt(snapshot);
    txn->Write(key, std::move(value));
    txn->Prepare(id, "coordinator", durable);
    return txn;
  }
  // One transaction per row, all begun at `snapshot` before any prepares
  // (a Begin after a Prepare would wait for it on the gate).
  std::vector<std::unique_ptr<MvccTransaction>> PrepareEach(
      Timestamp snapshot, const std::vector<std::pair<std::string, std::string>>& rows) {
    std::vector<std::unique_ptr<MvccTransaction>> txns;
    for (const auto& [key, value] : rows) {
      txns.push_back(BeginAt(snapshot));
      txns.back()->Put(key, value);
    }
    for (auto& txn : txns) txn->Prepare("", "", false);
    return txns;
  }
  // A single-node commit: Prepare(non-durable), then CommitAt(commit_ts).
  void CommitKey(const std::string& key, std::optional<std::string> value, Timestamp commit_ts,
                 Timestamp snapshot = kNoTimestamp) {
    auto txn = PrepareKey(key, std::move(value), snapshot);
    txn->CommitAt(commit_ts);
  }
  std::optional<std::string> ReadAt(Timestamp ts, const std::string& key) {
    auto txn = BeginAt(ts);
    auto value = txn->Get(key);
    txn->Rollback();
    return value;
  }
};

}  // namespace tessera::storage::mvcc
