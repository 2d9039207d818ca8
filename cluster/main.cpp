// The `tessera` binary. `start` serves an embedded database over pgwire;
// the cluster subcommands (gateway, storage, ctl) are reserved for later
// milestones.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <spdlog/sinks/stdout_color_sinks.h>  // also declares stderr_color_mt
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "executor/database.h"
#include "wire/server.h"

namespace {

struct StartOptions {
  std::string data_dir;
  uint16_t port = 5433;
  std::string listen = "127.0.0.1";
  bool no_sync = false;
  int workers = 64;
};

int RunStart(const StartOptions& options) {
  std::unique_ptr<tessera::SessionFactory> database;
  try {
    database = tessera::OpenEmbeddedDatabase(
        tessera::DatabaseOptions{.data_dir = options.data_dir, .sync_commits = !options.no_sync});
  } catch (const tessera::SqlError& error) {
    spdlog::error("cannot open data directory {}: {} ({})", options.data_dir, error.Message(), error.Sqlstate());
    return 1;
  }
  tessera::wire::ServerOptions server_options;
  server_options.host = options.listen;
  server_options.port = options.port;
  server_options.worker_threads = options.workers;
  tessera::wire::Server server(*database, server_options);
  try {
    server.Start();
  } catch (const std::exception& error) {
    spdlog::error("cannot listen on {}:{}: {}", options.listen, options.port, error.what());
    return 1;
  }
  spdlog::info("tessera listening on {}:{} (data {})", options.listen, server.Port(), options.data_dir);

  // The main thread only waits for a signal; the server has its own threads.
  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int signal) {
    spdlog::info("received signal {}, shutting down", signal);
  });
  signals_io.run();
  server.Stop();
  database.reset();
  spdlog::info("tessera stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("tessera"));
  std::signal(SIGPIPE, SIG_IGN);  // a vanished client must not kill the server

  CLI::App app{"Tessera: a distributed SQL database speaking the PostgreSQL protocol"};
  app.require_subcommand(1);

  StartOptions start;
  CLI::App* start_cmd = app.add_subcommand("start", "run an embedded single-node server");
  start_cmd->add_option("--data", start.data_dir, "data directory (created on first use)")->required();
  start_cmd->add_option("--port", start.port, "SQL port")->capture_default_str();
  start_cmd->add_option("--listen", start.listen, "address to listen on")->capture_default_str();
  start_cmd->add_flag("--no-sync", start.no_sync, "do not fsync at commit (faster, unsafe on power loss)");
  start_cmd->add_option("--workers", start.workers, "threads running statements")->capture_default_str();

  // Reserved for the cluster milestones; they take any arguments for now.
  for (const char* name : {"gateway", "storage", "ctl"}) {
    CLI::App* cmd = app.add_subcommand(name, std::string(name) + " (not implemented yet)");
    cmd->allow_extras();
  }

  CLI11_PARSE(app, argc, argv);
  if (start_cmd->parsed()) return RunStart(start);
  for (CLI::App* cmd : app.get_subcommands()) {
    std::fprintf(stderr, "tessera %s: not implemented yet\n", cmd->get_name().c_str());
  }
  return 2;
}
