// Client of etcd's v3 API through its JSON gateway (HTTP/1.1, no gRPC dependency): the cluster
// keeps its metadata, leases and elections in etcd. One Client is shared by many threads; it
// keeps a pool of keep-alive connections and fails over between the given endpoints. Every call
// ends within the client's timeout, with an answer or an EtcdError.
//
// Retries: a call is retried (on a fresh connection, then on the next endpoint) until its
// deadline when the transport fails or etcd answers 503. A mutating call whose answer was lost may
// therefore have been applied although it throws, or be applied twice; Txn-based helpers
// (election, allocators) are written to tolerate that.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cluster/etcd/etcd_types.h"
#include "cluster/etcd/watcher.h"

namespace tessera::cluster::etcd {

class Client {
 public:
  // endpoints: "http://127.0.0.1:2379" or a comma-separated list (tried in turn on failure).
  // Throws EtcdError on a malformed list (nothing is contacted here).
  explicit Client(std::string endpoints, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  RangeResult Get(const std::string& key);
  RangeResult GetPrefix(const std::string& prefix);
  int64_t Put(const std::string& key, const std::string& value, int64_t lease = 0);  // returns the revision
  int64_t Delete(const std::string& key, bool prefix = false);                       // number deleted
  TxnResult Txn(const std::vector<Compare>& compares, const std::vector<Op>& success, const std::vector<Op>& failure);

  int64_t LeaseGrant(int64_t ttl_seconds);  // lease id; etcd may raise the TTL to its minimum
  bool LeaseKeepAlive(int64_t lease);       // false when the lease is gone (expired/revoked)
  bool LeaseKeepAlive(int64_t lease, std::chrono::milliseconds timeout);
  void LeaseRevoke(int64_t lease);  // a lease that is already gone is not an error
  void LeaseRevoke(int64_t lease, std::chrono::milliseconds timeout);

  // Discards history up to `revision` (watchers behind it get a compaction reset).
  void Compact(int64_t revision);

  // Blocks until etcd answers (or `wait` passes): processes may start in any order.
  bool WaitUntilReady(std::chrono::milliseconds wait);

  const std::string& Endpoints() const;
  std::chrono::milliseconds Timeout() const;

 private:
  struct Pool;
  // POSTs to the gateway, retrying until the timeout; returns the answer's body. nullopt when
  // etcd answers "not found" and `not_found_ok` (lease calls); other etcd errors throw.
  std::optional<std::string> Call(const char* path, const std::string& body, std::chrono::milliseconds timeout,
                                  bool not_found_ok = false);

  std::string endpoints_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace tessera::cluster::etcd
