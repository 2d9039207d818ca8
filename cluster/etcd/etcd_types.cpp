#include "cluster/etcd/etcd_types.h"

#include <utility>

namespace tessera::cluster::etcd {

namespace {

Compare MakeCompare(std::string key, Compare::Target target, Compare::Result result, int64_t number) {
  Compare c;
  c.key = std::move(key);
  c.target = target;
  c.result = result;
  c.number = number;
  return c;
}

}  // namespace

Compare Compare::Version(std::string key, Result result, int64_t version) {
  return MakeCompare(std::move(key), Target::kVersion, result, version);
}

Compare Compare::CreateRevision(std::string key, Result result, int64_t revision) {
  return MakeCompare(std::move(key), Target::kCreateRevision, result, revision);
}

Compare Compare::ModRevision(std::string key, Result result, int64_t revision) {
  return MakeCompare(std::move(key), Target::kModRevision, result, revision);
}

Compare Compare::Value(std::string key, Result result, std::string value) {
  Compare c = MakeCompare(std::move(key), Target::kValue, result, 0);
  c.value = std::move(value);
  return c;
}

Compare Compare::Lease(std::string key, Result result, int64_t lease) {
  return MakeCompare(std::move(key), Target::kLease, result, lease);
}

Op Op::Put(std::string key, std::string value, int64_t lease) {
  Op op;
  op.kind = Kind::kPut;
  op.key = std::move(key);
  op.value = std::move(value);
  op.lease = lease;
  return op;
}

Op Op::Get(std::string key, bool prefix) {
  Op op;
  op.kind = Kind::kGet;
  op.key = std::move(key);
  op.prefix = prefix;
  return op;
}

Op Op::Delete(std::string key, bool prefix) {
  Op op;
  op.kind = Kind::kDelete;
  op.key = std::move(key);
  op.prefix = prefix;
  return op;
}

}  // namespace tessera::cluster::etcd
