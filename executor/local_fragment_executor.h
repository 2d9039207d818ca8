// The embedded transport: runs fragments in-process against the session's
// storage transaction. With `encode` set, every request and result goes
// through its byte encoding first, exactly as it would over the network, so
// tests exercise the cluster path without a cluster.
#pragma once

#include "executor/fragment_runner.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

class LocalFragmentExecutor final : public FragmentExecutor {
 public:
  LocalFragmentExecutor(storage::Transaction& txn, FragmentServices services, bool encode)
      : txn_(txn), services_(std::move(services)), encode_(encode) {}
  planner::FragmentResult Execute(const planner::FragmentRequest& request) override;

 private:
  planner::FragmentResult Run(const planner::FragmentRequest& request);
  storage::Transaction& txn_;
  FragmentServices services_;
  bool encode_;
};

}  // namespace tessera::executor
