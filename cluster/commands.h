// The subcommands of the `tessera` binary (DESIGN.md, Processes), one file
// each; main.cpp only parses arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster/etcd/etcd_tls.h"
#include "cluster/transport/link_tls.h"

namespace tessera {
class SessionFactory;
}

namespace tessera::cli {

// Limits of a pgwire front end (`start` and `gateway` alike).
struct ConnectionOptions {
  int max_connections = 100;           // sessions; 53300 beyond (3 kept for the superuser)
  int authentication_timeout_s = 60;   // to finish the startup
  std::string hba_file;                // --hba: pg_hba.conf rules; empty: wire::HbaRules::Default()
  std::string tls_cert;                // --tls-cert, --tls-key: TLS for clients; empty: SSLRequest answered 'N'
  std::string tls_key;
  std::string tls_ca;                  // --tls-ca: client certificates verified against it (the `cert` method)
};

struct StartOptions {
  std::string data_dir;
  uint16_t port = 5433;
  std::string listen = "127.0.0.1";
  bool no_sync = false;
  int workers = 64;
  ConnectionOptions connections;
  std::string memory_limit;  // --memory-limit; empty: a quarter of RAM
  std::string password_file;  // --password-file: the superuser's password, first line
};

struct GatewayCommand {
  std::string etcd;
  uint16_t port = 5433;
  std::string listen = "127.0.0.1";
  int workers = 64;
  int node_timeout_ms = 5000;
  cluster::transport::LinkTls link_tls;  // --cluster-ca/-cert/-key: mutual TLS to the storage nodes
  cluster::etcd::EtcdTlsFiles etcd_tls;  // --etcd-ca/-cert/-key: https:// etcd
  ConnectionOptions connections;
  std::string memory_limit;
};

struct StorageCommand {
  std::string etcd;
  int group = 0;
  std::string data_dir;
  std::string listen = "127.0.0.1:7100";
  bool no_sync = false;
  std::string memory_limit;
  cluster::transport::LinkTls link_tls;  // --cluster-ca/-cert/-key: only peers of the cluster CA get in
  cluster::etcd::EtcdTlsFiles etcd_tls;  // --etcd-ca/-cert/-key: https:// etcd
};

struct CtlCommand {
  std::string etcd;
  std::string action;  // init | status | checksum | failover | certs
  int groups = 0;
  int group = -1;      // checksum: one group (-1: all); failover: the group
  std::string to;      // failover: the backup's node id (empty: any in-sync backup)
  int buckets = 256;
  bool json = false;
  cluster::transport::LinkTls link_tls;  // for the calls to storage nodes
  cluster::etcd::EtcdTlsFiles etcd_tls;  // --etcd-ca/-cert/-key: https:// etcd
  std::string certs_dir;                 // certs: where the CA and the certificate go
  std::string cert_name = "node";        // certs: <dir>/<name>.crt and .key
  std::vector<std::string> cert_hosts;   // certs: subjectAltNames (default: 127.0.0.1, ::1, localhost)
};

int RunStart(const StartOptions& options);
int RunGateway(const GatewayCommand& options);
int RunStorage(const StorageCommand& options);
int RunCtl(const CtlCommand& options);

// Sets the process's memory limit (common/memory_account.h) from
// --memory-limit ("8GB"; empty: a quarter of physical memory) and logs it;
// false (logged) for a value that is not a size.
bool ApplyMemoryLimit(const std::string& text);

// Blocks until SIGINT or SIGTERM.
void WaitForTerminationSignal();

// Serves `sessions` over pgwire on listen:port until SIGINT/SIGTERM; `what`
// names the server in its log lines. Returns the process's exit status.
int ServeSql(SessionFactory& sessions, const std::string& listen, uint16_t port, int workers,
             const ConnectionOptions& connections, const std::string& what);

// SIGINT/SIGTERM handling installed at construction, so a failure that
// Stop()s before anyone waits is not lost.
class TerminationSignal {
 public:
  TerminationSignal();
  ~TerminationSignal();
  void Wait();  // until a signal or Stop()
  void Stop();  // from any thread
  // Before Wait(): SIGHUP runs `reload` on the waiting thread (instead of
  // ending the process, SIGHUP's default) and the wait goes on.
  void OnReload(std::function<void()> reload);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tessera::cli
