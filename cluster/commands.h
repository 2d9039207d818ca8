// The subcommands of the `tessera` binary (DESIGN.md, Processes), one file
// each; main.cpp only parses arguments.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace tessera {
class SessionFactory;
}

namespace tessera::cli {

struct StartOptions {
  std::string data_dir;
  uint16_t port = 5433;
  std::string listen = "127.0.0.1";
  bool no_sync = false;
  int workers = 64;
};

struct GatewayCommand {
  std::string etcd;
  uint16_t port = 5433;
  std::string listen = "127.0.0.1";
  int workers = 64;
  int node_timeout_ms = 5000;
};

struct StorageCommand {
  std::string etcd;
  int group = 0;
  std::string data_dir;
  std::string listen = "127.0.0.1:7100";
  bool no_sync = false;
};

struct CtlCommand {
  std::string etcd;
  std::string action;  // init | status
  int groups = 0;
  int buckets = 256;
  bool json = false;
};

int RunStart(const StartOptions& options);
int RunGateway(const GatewayCommand& options);
int RunStorage(const StorageCommand& options);
int RunCtl(const CtlCommand& options);

// Blocks until SIGINT or SIGTERM.
void WaitForTerminationSignal();

// Serves `sessions` over pgwire on listen:port until SIGINT/SIGTERM; `what`
// names the server in its log lines. Returns the process's exit status.
int ServeSql(SessionFactory& sessions, const std::string& listen, uint16_t port, int workers, const std::string& what);

// SIGINT/SIGTERM handling installed at construction, so a failure that
// Stop()s before anyone waits is not lost.
class TerminationSignal {
 public:
  TerminationSignal();
  ~TerminationSignal();
  void Wait();  // until a signal or Stop()
  void Stop();  // from any thread

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tessera::cli
