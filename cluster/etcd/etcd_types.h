// Plain data types of the etcd v3 client: what Client calls take and return. Kept apart from
// etcd_client.h so the Watcher header can share them without pulling in the Client.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessera::cluster::etcd {

// Every failure of the client: transport, HTTP, timeout, or an error answered by etcd.
struct EtcdError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct KeyValue {
  std::string key, value;
  int64_t create_revision = 0, mod_revision = 0, version = 0, lease = 0;
};

struct RangeResult {
  std::vector<KeyValue> kvs;
  int64_t revision = 0;  // the store revision at which etcd answered
};

// One condition of a transaction. A missing key compares as version/revisions 0; a kValue
// compare on a missing key is always false (etcd's rule).
struct Compare {
  enum class Target { kVersion, kCreateRevision, kModRevision, kValue, kLease };
  enum class Result { kEqual, kGreater, kLess, kNotEqual };
  std::string key;
  Target target = Target::kVersion;
  Result result = Result::kEqual;
  int64_t number = 0;  // for version / revisions / lease id
  std::string value;   // for kValue

  static Compare Version(std::string key, Result result, int64_t version);
  static Compare CreateRevision(std::string key, Result result, int64_t revision);
  static Compare ModRevision(std::string key, Result result, int64_t revision);
  static Compare Value(std::string key, Result result, std::string value);
  static Compare Lease(std::string key, Result result, int64_t lease);
};

struct Op {
  enum class Kind { kPut, kDelete, kGet };
  Kind kind = Kind::kGet;
  std::string key;
  std::string value;
  int64_t lease = 0;
  bool prefix = false;  // for kGet / kDelete: every key starting with `key`

  static Op Put(std::string key, std::string value, int64_t lease = 0);
  static Op Get(std::string key, bool prefix = false);
  static Op Delete(std::string key, bool prefix = false);
};

struct TxnResult {
  bool succeeded = false;
  int64_t revision = 0;
  std::vector<RangeResult> ranges;  // one per kGet op of the branch taken, in order
};

struct WatchEvent {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  KeyValue kv;  // for kDelete: key and mod_revision (the deletion's revision) only
};

}  // namespace tessera::cluster::etcd
