// The key-value view of a cluster transaction, for DDL's data work (index
// builds, table rewrites, truncation) that goes through storage::Transaction
// rather than fragments. Every call is a request to storage nodes, so it is
// for DDL on modest tables, not for bulk data paths:
//  - a put of a row goes to the group of its primary key suffix, and an
//    index entry's value is its row's key suffix, so it goes with its row;
//  - gets, deletes and scans go to every group (rows of a table without a
//    primary key are placed round robin, not by key), and a scan merges the
//    groups' answers in key order.
#pragma once

#include "cluster/gateway/cluster_txn.h"
#include "storage/engine.h"

namespace tessera::cluster {

class ShardedKv final : public storage::Transaction {
 public:
  explicit ShardedKv(ClusterTxn& txn) : txn_(txn) {}

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override;
  void Delete(std::string_view key) override;
  std::unique_ptr<storage::Iterator> Scan(std::string_view start, std::string_view end) override;
  // The cluster transaction commits; these are never called on the view.
  void Commit() override {}
  void Rollback() override {}
  bool HasWrites() const override { return wrote_; }

 private:
  std::vector<KvResponse> Send(const std::vector<int>& groups, KvRequest request);
  std::vector<int> AllGroups() const;

  ClusterTxn& txn_;
  bool wrote_ = false;
};

}  // namespace tessera::cluster
