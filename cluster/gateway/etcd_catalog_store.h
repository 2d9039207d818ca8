// The catalog document in etcd (/tessera/catalog). The version token is the
// key's mod_revision, so a change is an etcd transaction "mod_revision is
// still what I read -> put". A successful change returns only after every
// live gateway has reported (under /tessera/gateways/<id>) that it reloaded
// that revision or a later one: DDL on one gateway is visible on all before
// the statement completes. A gateway that does not report within the wait
// is skipped with a warning (it is about to lose its lease).
#pragma once

#include <chrono>
#include <string>

#include "catalog/document_catalog.h"
#include "cluster/etcd/etcd_client.h"

namespace tessera::cluster {

class EtcdCatalogStore final : public catalog::CatalogStore {
 public:
  EtcdCatalogStore(etcd::Client& etcd, std::string gateway_id,
                   std::chrono::milliseconds ack_wait = std::chrono::seconds(5))
      : etcd_(etcd), gateway_id_(std::move(gateway_id)), ack_wait_(ack_wait) {}

  std::optional<std::string> Load(uint64_t* token) override;
  bool CompareAndSwap(const std::string& document, uint64_t* token) override;
  int64_t Allocate(const std::string& name, int64_t count) override;

 private:
  void WaitForGateways(int64_t revision);

  etcd::Client& etcd_;
  std::string gateway_id_;
  std::chrono::milliseconds ack_wait_;
};

// The catalog revision a gateway reports having loaded (0 if none).
int64_t GatewayCatalogRevision(const std::string& registration);
std::string GatewayRegistration(int port, int64_t catalog_revision);

}  // namespace tessera::cluster
