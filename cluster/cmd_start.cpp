// `tessera start`: the embedded database served over pgwire.
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <functional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "cluster/commands.h"
#include "common/error.h"
#include "common/memory_account.h"
#include "common/tls_status.h"
#include "executor/database.h"
#include "wire/server.h"

namespace tessera::cli {

struct TerminationSignal::State {
  boost::asio::io_context io;
  boost::asio::signal_set signals{io, SIGINT, SIGTERM};
  std::function<void()> reload;

  void Arm() {
    signals.async_wait([this](const boost::system::error_code& error, int signal) {
      if (error) return;
      if (signal == SIGHUP && reload) {
        reload();
        Arm();
        return;
      }
      spdlog::info("received signal {}, shutting down", signal);
    });
  }
};

TerminationSignal::TerminationSignal() : state_(std::make_unique<State>()) { state_->Arm(); }

void TerminationSignal::OnReload(std::function<void()> reload) {
  state_->reload = std::move(reload);
  state_->signals.add(SIGHUP);
}

TerminationSignal::~TerminationSignal() = default;

void TerminationSignal::Wait() { state_->io.run(); }

void TerminationSignal::Stop() {
  boost::asio::post(state_->io, [this] { state_->signals.cancel(); });
}

void WaitForTerminationSignal() { TerminationSignal().Wait(); }

bool ApplyMemoryLimit(const std::string& text) {
  int64_t limit = text.empty() ? MemoryPool::DefaultLimit() : ParseByteSize(text);
  if (limit <= 0) {
    spdlog::error("--memory-limit {}: not a size (such as 512MB or 8GB)", text);
    return false;
  }
  // The limit is for the whole process: what statements may charge is 75%
  // of it, less what the process holds already, leaving room for what is
  // not accounted (prepared ASTs and plans, connections, the allocator's slack, which
  // after a run of big statements on many workers' arenas reached 20% of a
  // 256MB limit in tests/limits: 85% let the process pass the limit).
  int64_t accounted = limit / 100 * 75 - ResidentBytes();
  if (accounted < limit / 4) accounted = limit / 4;
  MemoryPool::Server().SetLimit(accounted);
  SetResidentLimit(limit);
  spdlog::info("memory limit {} (--memory-limit): statements, results and write sets may use {}",
               FormatByteSize(limit), FormatByteSize(accounted / (1 << 20) * (1 << 20)));
  return true;
}

int RunStart(const StartOptions& options) {
  if (!ApplyMemoryLimit(options.memory_limit)) return 2;
  DatabaseOptions database_options;
  database_options.data_dir = options.data_dir;
  database_options.sync_commits = !options.no_sync;
  if (!options.password_file.empty()) {
    std::ifstream file(options.password_file);
    std::string password;
    if (!file || !std::getline(file, password)) {
      spdlog::error("--password-file {}: cannot read a password from it", options.password_file);
      return 2;
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    database_options.superuser_password = password;
  }
  std::unique_ptr<SessionFactory> database;
  try {
    database = OpenEmbeddedDatabase(database_options);
  } catch (const SqlError& error) {
    spdlog::error("cannot open data directory {}: {} ({})", options.data_dir, error.Message(), error.Sqlstate());
    return 1;
  }
  return ServeSql(*database, options.listen, options.port, options.workers, options.connections,
                  "tessera (data " + options.data_dir + ")");
}

int ServeSql(SessionFactory& sessions, const std::string& listen, uint16_t port, int workers,
             const ConnectionOptions& connections, const std::string& what) {
  wire::ServerOptions server_options;
  server_options.host = listen;
  server_options.port = port;
  server_options.worker_threads = workers;
  server_options.limits.max_connections = connections.max_connections;
  server_options.handler.authentication_timeout_ms = connections.authentication_timeout_s * 1000;
  server_options.tls = {connections.tls_cert, connections.tls_key, connections.tls_ca};
  // `cert` rules need client certificates, which are only requested with a CA.
  auto load_hba = [has_ca = !connections.tls_ca.empty()](const std::string& file) {
    auto rules = std::make_shared<const wire::HbaRules>(wire::HbaRules::Load(file));
    if (rules->UsesCert() && !has_ca)
      throw std::runtime_error("the cert method needs client certificates: give --tls-ca");
    return rules;
  };
  if (!connections.hba_file.empty()) {
    try {
      server_options.handler.hba = load_hba(connections.hba_file);
    } catch (const std::exception& error) {
      spdlog::error("cannot use --hba {}: {}", connections.hba_file, error.what());
      return 1;
    }
  }
  tessera::TlsStatus::SetServerTls(server_options.tls.Enabled());  // SHOW ssl
  wire::Server server(sessions, server_options);
  try {
    server.Start();
  } catch (const std::exception& error) {
    spdlog::error("cannot listen on {}:{}: {}", listen, port, error.what());
    return 1;
  }
  spdlog::info("{} listening on {}:{}", what, listen, server.Port());
  TerminationSignal signal;
  // As PostgreSQL: SIGHUP re-reads the rules; a file that no longer parses
  // leaves the previous rules in force.
  signal.OnReload([&server, &load_hba, file = connections.hba_file] {
    if (file.empty()) {
      spdlog::info("received SIGHUP: no --hba file to reload");
      return;
    }
    try {
      server.SetHba(load_hba(file));
      spdlog::info("received SIGHUP: reloaded the rules of {}", file);
    } catch (const std::exception& error) {
      spdlog::error("received SIGHUP: {} not reloaded, the previous rules stay in force: {}", file, error.what());
    }
  });
  signal.Wait();
  server.Stop();
  spdlog::info("{} stopped", what);
  return 0;
}

}  // namespace tessera::cli
