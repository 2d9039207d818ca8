#include "cluster/gateway/etcd_catalog_store.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "cluster/common/etcd_keys.h"
#include "cluster/etcd/range_allocator.h"
#include "common/blocking_call.h"
#include "common/error.h"
#include "common/fiber.h"

namespace tessera::cluster {

namespace {

SqlError EtcdUnavailable(const std::exception& e) {
  return SqlError("08006", std::string("the cluster metadata store (etcd) is unavailable: ") + e.what());
}

}  // namespace

int64_t GatewayCatalogRevision(const std::string& registration) {
  try {
    return nlohmann::json::parse(registration).value("catalog", int64_t{0});
  } catch (const std::exception&) {
    return 0;
  }
}

std::string GatewayRegistration(int port, int64_t catalog_revision) {
  return nlohmann::json{{"port", port}, {"catalog", catalog_revision}}.dump();
}

std::optional<std::string> EtcdCatalogStore::Load(uint64_t* token) {
  try {
    auto found = RunBlocking([&] { return etcd_.Get(keys::kCatalog); });
    if (found.kvs.empty()) {
      *token = 0;
      return std::nullopt;
    }
    *token = static_cast<uint64_t>(found.kvs[0].mod_revision);
    return found.kvs[0].value;
  } catch (const etcd::EtcdError& e) {
    throw EtcdUnavailable(e);
  }
}

bool EtcdCatalogStore::CompareAndSwap(const std::string& document, uint64_t* token) {
  etcd::TxnResult result;
  try {
    etcd::Compare unchanged;
    unchanged.key = keys::kCatalog;
    unchanged.target = etcd::Compare::Target::kModRevision;
    unchanged.result = etcd::Compare::Result::kEqual;
    unchanged.number = static_cast<int64_t>(*token);
    result = RunBlocking([&] { return etcd_.Txn({unchanged}, {etcd::Op::Put(keys::kCatalog, document)}, {}); });
  } catch (const etcd::EtcdError& e) {
    throw EtcdUnavailable(e);
  }
  if (!result.succeeded) return false;
  *token = static_cast<uint64_t>(result.revision);
  WaitForGateways(result.revision);
  return true;
}

int64_t EtcdCatalogStore::Allocate(const std::string& name, int64_t count) {
  try {
    return RunBlocking([&] { return etcd::AllocateRange(etcd_, keys::kCounters + name, count); });
  } catch (const etcd::EtcdError& e) {
    throw EtcdUnavailable(e);
  }
}

void EtcdCatalogStore::WaitForGateways(int64_t revision) {
  auto deadline = std::chrono::steady_clock::now() + ack_wait_;
  std::string self = keys::Gateway(gateway_id_);
  while (true) {
    std::vector<std::string> behind;
    try {
      for (auto& kv : RunBlocking([&] { return etcd_.GetPrefix(keys::kGateways); }).kvs)
        if (kv.key != self && GatewayCatalogRevision(kv.value) < revision) behind.push_back(kv.key);
    } catch (const etcd::EtcdError& e) {
      spdlog::warn("catalog change at revision {}: cannot check other gateways: {}", revision, e.what());
      return;
    }
    if (behind.empty()) return;
    if (std::chrono::steady_clock::now() > deadline) {
      spdlog::warn("catalog change at revision {}: {} gateway(s) did not confirm in time (first: {})", revision,
                   behind.size(), behind.front());
      return;
    }
    WaitSlot::Make()->Wait(std::chrono::milliseconds(2));  // parks a fiber
  }
}

}  // namespace tessera::cluster
