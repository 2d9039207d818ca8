// `tessera start`: the embedded database served over pgwire.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cluster/commands.h"
#include "common/error.h"
#include "executor/database.h"
#include "wire/server.h"

namespace tessera::cli {

struct TerminationSignal::State {
  boost::asio::io_context io;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
};

TerminationSignal::TerminationSignal() : state_(std::make_unique<State>()) {
  state_->signals.async_wait([](const boost::system::error_code& error, int signal) {
    if (!error) spdlog::info("received signal {}, shutting down", signal);
  });
}

TerminationSignal::~TerminationSignal() = default;

void TerminationSignal::Wait() { state_->io.run(); }

void TerminationSignal::Stop() {
  boost::asio::post(state_->io, [this] { state_->signals.cancel(); });
}

void WaitForTerminationSignal() { TerminationSignal().Wait(); }

int RunStart(const StartOptions& options) {
  std::unique_ptr<SessionFactory> database;
  try {
    database = OpenEmbeddedDatabase(DatabaseOptions{.data_dir = options.data_dir, .sync_commits = !options.no_sync});
  } catch (const SqlError& error) {
    spdlog::error("cannot open data directory {}: {} ({})", options.data_dir, error.Message(), error.Sqlstate());
    return 1;
  }
  return ServeSql(*database, options.listen, options.port, options.workers, "tessera (data " + options.data_dir + ")");
}

int ServeSql(SessionFactory& sessions, const std::string& listen, uint16_t port, int workers, const std::string& what) {
  wire::ServerOptions server_options;
  server_options.host = listen;
  server_options.port = port;
  server_options.worker_threads = workers;
  wire::Server server(sessions, server_options);
  try {
    server.Start();
  } catch (const std::exception& error) {
    spdlog::error("cannot listen on {}:{}: {}", listen, port, error.what());
    return 1;
  }
  spdlog::info("{} listening on {}:{}", what, listen, server.Port());
  WaitForTerminationSignal();
  server.Stop();
  spdlog::info("{} stopped", what);
  return 0;
}

}  // namespace tessera::cli
