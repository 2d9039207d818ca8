// `tessera gateway`: pgwire over the cluster backend.
#include <spdlog/spdlog.h>

#include "cluster/commands.h"
#include "cluster/gateway/cluster_backend.h"
#include "wire/server.h"

namespace tessera::cli {

int RunGateway(const GatewayCommand& options) {
  std::unique_ptr<cluster::ClusterBackend> backend;
  try {
    cluster::GatewayOptions gateway_options;
    gateway_options.etcd = options.etcd;
    gateway_options.port = options.port;
    gateway_options.node_timeout = std::chrono::milliseconds(options.node_timeout_ms);
    backend = std::make_unique<cluster::ClusterBackend>(gateway_options);
  } catch (const std::exception& error) {
    spdlog::error("gateway cannot join the cluster: {}", error.what());
    return 1;
  }
  wire::ServerOptions server_options;
  server_options.host = options.listen;
  server_options.port = options.port;
  server_options.worker_threads = options.workers;
  wire::Server server(*backend, server_options);
  try {
    server.Start();
  } catch (const std::exception& error) {
    spdlog::error("cannot listen on {}:{}: {}", options.listen, options.port, error.what());
    return 1;
  }
  spdlog::info("tessera gateway listening on {}:{} (etcd {})", options.listen, server.Port(), options.etcd);
  WaitForTerminationSignal();
  server.Stop();
  backend.reset();
  spdlog::info("gateway stopped");
  return 0;
}

}  // namespace tessera::cli
