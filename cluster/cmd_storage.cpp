// `tessera storage`: one storage node, until SIGINT/SIGTERM.
#include <spdlog/spdlog.h>

#include <atomic>
#include <thread>

#include "cluster/commands.h"
#include "cluster/storage_node/storage_node.h"
#include "common/error.h"

namespace tessera::cli {

int RunStorage(const StorageCommand& options) {
  if (!ApplyMemoryLimit(options.memory_limit)) return 2;
  // Before anything registers in etcd: a node that could not talk to its
  // group must not join it.
  try {
    cluster::transport::CheckLinkTls(options.link_tls);
  } catch (const std::exception& error) {
    spdlog::error("storage node for group {} cannot start: {}", options.group, error.what());
    return 2;
  }
  cluster::StorageNodeOptions node_options;
  node_options.etcd = options.etcd;
  node_options.group = options.group;
  node_options.data_dir = options.data_dir;
  node_options.listen = options.listen;
  node_options.sync_commits = !options.no_sync;
  node_options.link_tls = options.link_tls;
  std::atomic<bool> stop{false};
  std::atomic<int> exit_code{0};
  cluster::StorageNode node(node_options);
  TerminationSignal signal;
  // SIGHUP must not end a node (its default action); there is nothing to
  // re-read yet, unlike the SQL servers' --hba rules.
  signal.OnReload([] { spdlog::info("received SIGHUP: a storage node has nothing to reload"); });
  std::thread serving([&] {
    try {
      node.Run(stop);
    } catch (const std::exception& error) {
      spdlog::error("storage node for group {} failed: {}", options.group, error.what());
      exit_code = 1;
      signal.Stop();
    }
  });
  signal.Wait();
  stop = true;
  serving.join();
  spdlog::info("storage node for group {} stopped", options.group);
  return exit_code;
}

}  // namespace tessera::cli
