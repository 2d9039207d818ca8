// Gets cluster timestamps from the timestamp oracle leader (elected through
// etcd, see storage_node/tso_service.h). Concurrent callers are batched: while
// one request is on the wire, new callers join the next one, so a busy
// gateway pays one round trip per batch rather than per transaction.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "cluster/etcd/etcd_client.h"
#include "cluster/transport/rpc_client.h"

namespace tessera::cluster {

class TsoClient {
 public:
  // `local`, if set, serves timestamps in this process when it is the leader
  // (returns 0 when it is not).
  TsoClient(etcd::Client& etcd, transport::RpcClient& rpc, std::function<uint64_t(uint32_t)> local = {});
  // A timestamp above every one handed out before. Throws SqlError 08006
  // when no oracle answers within a few seconds.
  uint64_t Next();

 private:
  struct Batch {
    uint32_t count = 0;
    uint64_t first = 0;
    bool done = false;
    std::exception_ptr error;
  };
  uint64_t Fetch(uint32_t count);
  std::string Leader(bool refresh);

  etcd::Client& etcd_;
  transport::RpcClient& rpc_;
  std::function<uint64_t(uint32_t)> local_;
  std::mutex mutex_;
  std::condition_variable done_;
  std::shared_ptr<Batch> open_;
  bool in_flight_ = false;
  std::string leader_;  // guarded by mutex_
};

}  // namespace tessera::cluster
