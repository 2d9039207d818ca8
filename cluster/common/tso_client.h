// Gets cluster timestamps from the timestamp oracle (group 0's primary, which
// publishes its address in etcd; see storage_node/tso_service.h). Concurrent callers are batched: while
// one request is on the wire, new callers join the next one, so a busy
// gateway pays one round trip per batch rather than per transaction.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/etcd/etcd_client.h"
#include "cluster/transport/rpc_client.h"
#include "common/fiber.h"

namespace tessera::cluster {

// The oracle's key (/tessera/tso/leader) holds {"address": A, "group0_epoch": E},
// E being the epoch of group 0 its holder is primary at, 0 if none
// (storage_node/tso_service.h says why a successor needs it).
std::string OracleKeyValue(const std::string& address, uint64_t group0_epoch);
std::string OracleAddressIn(const std::string& key_value);  // "" if unreadable
uint64_t OracleEpochIn(const std::string& key_value);       // 0 if unreadable

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
    // Callers waiting for it. A WaitList, not a condition variable: callers
    // run on session fibers and the fetching caller parks in its RPC; had
    // the others blocked their worker threads, 64 statements starting at
    // once took every worker and the fetcher could never resume.
    WaitList waiters;
  };
  uint64_t Fetch(uint32_t count);
  std::string Leader(bool refresh);

  etcd::Client& etcd_;
  transport::RpcClient& rpc_;
  std::function<uint64_t(uint32_t)> local_;
  std::mutex mutex_;
  std::shared_ptr<Batch> open_;
  bool in_flight_ = false;
  std::string leader_;  // guarded by mutex_
};

}  // namespace tessera::cluster
