// `tessera gateway`: pgwire over the cluster backend.
#include <spdlog/spdlog.h>

#include "cluster/commands.h"
#include "cluster/gateway/cluster_backend.h"
#include "executor/sort_run_file.h"

namespace tessera::cli {

int RunGateway(const GatewayCommand& options) {
  if (!ApplyMemoryLimit(options.memory_limit)) return 2;
  // A gateway spills sorts to $TMPDIR, shared with other processes: choosing
  // it now also removes the runs of gateways killed mid-sort.
  executor::TempDirectory();
  std::unique_ptr<cluster::ClusterBackend> backend;
  try {
    cluster::transport::CheckLinkTls(options.link_tls);
    cluster::GatewayOptions gateway_options;
    gateway_options.etcd = options.etcd;
    gateway_options.port = options.port;
    gateway_options.node_timeout = std::chrono::milliseconds(options.node_timeout_ms);
    gateway_options.link_tls = options.link_tls;
    backend = std::make_unique<cluster::ClusterBackend>(gateway_options);
  } catch (const std::exception& error) {
    spdlog::error("gateway cannot join the cluster: {}", error.what());
    return 1;
  }
  return ServeSql(*backend, options.listen, options.port, options.workers, options.connections, "tessera gateway (etcd " + options.etcd + ")");
}

}  // namespace tessera::cli
