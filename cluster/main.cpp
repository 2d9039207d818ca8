// The `tessera` binary: argument parsing for its subcommands (commands.h).
#include <CLI/CLI.hpp>
#include <csignal>
#include <spdlog/sinks/stdout_color_sinks.h>  // also declares stderr_color_mt
#include <spdlog/spdlog.h>

#include "cluster/commands.h"

namespace {

void AddConnectionOptions(CLI::App* cmd, tessera::cli::ConnectionOptions& options) {
  cmd->add_option("--max-connections", options.max_connections,
                  "sessions at once; 53300 beyond, the last 3 kept for the superuser")
      ->capture_default_str()
      ->check(CLI::Range(4, 100000));
  cmd->add_option("--authentication-timeout", options.authentication_timeout_s,
                  "seconds a client has to finish its startup")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  cmd->add_option("--hba", options.hba_file,
                  "client authentication rules in pg_hba.conf format (default: trust for loopback clients, "
                  "scram-sha-256 for all others)")
      ->check(CLI::ExistingFile);
  CLI::Option* cert = cmd->add_option("--tls-cert", options.tls_cert,
                                      "PEM certificate (chain) of the server: clients may then use TLS (sslmode)")
                          ->check(CLI::ExistingFile);
  CLI::Option* key =
      cmd->add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  cmd->add_option("--tls-ca", options.tls_ca,
                  "PEM CA certificates: client certificates are requested and verified against them "
                  "(the pg_hba `cert` method)")
      ->check(CLI::ExistingFile)
      ->needs(cert);
}

// https:// etcd endpoints (etcd_tls.h).
void AddEtcdTlsOptions(CLI::App* cmd, tessera::cluster::etcd::EtcdTlsFiles& tls) {
  CLI::Option* ca = cmd->add_option("--etcd-ca", tls.ca_file,
                                    "PEM CA of etcd's server certificate, for https:// endpoints")
                        ->check(CLI::ExistingFile);
  CLI::Option* cert = cmd->add_option("--etcd-cert", tls.cert_file,
                                      "PEM client certificate for etcd (its --client-cert-auth)")
                          ->check(CLI::ExistingFile);
  CLI::Option* key = cmd->add_option("--etcd-key", tls.key_file, "PEM key of --etcd-cert")->check(CLI::ExistingFile);
  cert->needs(key);
  key->needs(cert);
  cert->needs(ca);
}

// Mutual TLS between the processes of a cluster (link_tls.h).
void AddClusterTlsOptions(CLI::App* cmd, tessera::cluster::transport::LinkTls& tls) {
  CLI::Option* ca = cmd->add_option("--cluster-ca", tls.ca_file,
                                    "PEM CA of the cluster: only processes with a certificate it signed may talk "
                                    "to this one (see `tessera ctl certs`)")
                        ->check(CLI::ExistingFile);
  CLI::Option* cert =
      cmd->add_option("--cluster-cert", tls.cert_file, "PEM certificate of this process, signed by --cluster-ca")
          ->check(CLI::ExistingFile);
  CLI::Option* key =
      cmd->add_option("--cluster-key", tls.key_file, "PEM private key of --cluster-cert")->check(CLI::ExistingFile);
  ca->needs(cert);
  cert->needs(key);
  key->needs(ca);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("tessera"));
  std::signal(SIGPIPE, SIG_IGN);  // a vanished peer must not kill the process

  using namespace tessera::cli;
  CLI::App app{"Tessera: a distributed SQL database speaking the PostgreSQL protocol"};
  app.require_subcommand(1);

  StartOptions start;
  CLI::App* start_cmd = app.add_subcommand("start", "run an embedded single-node server");
  start_cmd->add_option("--data", start.data_dir, "data directory (created on first use)")->required();
  start_cmd->add_option("--port", start.port, "SQL port")->capture_default_str();
  start_cmd->add_option("--listen", start.listen, "address to listen on")->capture_default_str();
  start_cmd->add_flag("--no-sync", start.no_sync, "do not fsync at commit (faster, unsafe on power loss)");
  start_cmd->add_option("--workers", start.workers, "threads running statements")->capture_default_str();
  AddConnectionOptions(start_cmd, start.connections);
  start_cmd->add_option("--password-file", start.password_file,
                        "set superuser tessera's password from the first line of FILE (at every start)")
      ->check(CLI::ExistingFile);
  const char* memory_help = "most memory statements may use, e.g. 8GB (default: a quarter of physical memory)";
  start_cmd->add_option("--memory-limit", start.memory_limit, memory_help);

  GatewayCommand gateway;
  CLI::App* gateway_cmd = app.add_subcommand("gateway", "run a stateless SQL front end of a cluster");
  gateway_cmd->add_option("--etcd", gateway.etcd, "etcd endpoint(s), e.g. http://127.0.0.1:2379")->required();
  gateway_cmd->add_option("--port", gateway.port, "SQL port")->capture_default_str();
  gateway_cmd->add_option("--listen", gateway.listen, "address to listen on")->capture_default_str();
  gateway_cmd->add_option("--workers", gateway.workers, "threads running statements")->capture_default_str();
  AddConnectionOptions(gateway_cmd, gateway.connections);
  AddClusterTlsOptions(gateway_cmd, gateway.link_tls);
  AddEtcdTlsOptions(gateway_cmd, gateway.etcd_tls);
  gateway_cmd->add_option("--node-timeout-ms", gateway.node_timeout_ms, "how long a storage node may stay silent")
      ->capture_default_str();
  gateway_cmd->add_option("--memory-limit", gateway.memory_limit, memory_help);

  StorageCommand storage;
  CLI::App* storage_cmd = app.add_subcommand("storage", "run one storage node of a shard group");
  storage_cmd->add_option("--etcd", storage.etcd, "etcd endpoint(s)")->required();
  storage_cmd->add_option("--group", storage.group, "shard group")->required();
  storage_cmd->add_option("--data", storage.data_dir, "data directory (created on first use)")->required();
  storage_cmd->add_option("--listen", storage.listen, "host:port for gateways and other nodes")->capture_default_str();
  storage_cmd->add_flag("--no-sync", storage.no_sync, "do not fsync at commit (faster, unsafe on power loss)");
  storage_cmd->add_option("--memory-limit", storage.memory_limit, memory_help);
  AddClusterTlsOptions(storage_cmd, storage.link_tls);
  AddEtcdTlsOptions(storage_cmd, storage.etcd_tls);

  CtlCommand ctl;
  CLI::App* ctl_cmd = app.add_subcommand("ctl", "cluster administration");
  ctl_cmd->add_option("--etcd", ctl.etcd, "etcd endpoint(s) (all subcommands but certs)");
  AddClusterTlsOptions(ctl_cmd, ctl.link_tls);
  AddEtcdTlsOptions(ctl_cmd, ctl.etcd_tls);
  ctl_cmd->require_subcommand(1);
  CLI::App* init_cmd = ctl_cmd->add_subcommand("init", "create the cluster's metadata");
  init_cmd->add_option("--groups", ctl.groups, "number of shard groups")->required()->check(CLI::Range(1, 1024));
  init_cmd->add_option("--buckets", ctl.buckets, "hash buckets (fixed for the cluster's life)")
      ->capture_default_str()
      ->check(CLI::Range(1, 65536));
  CLI::App* status_cmd = ctl_cmd->add_subcommand("status", "nodes, groups, buckets and health");
  status_cmd->add_flag("--json", ctl.json, "print JSON instead of a table");
  CLI::App* checksum_cmd =
      ctl_cmd->add_subcommand("checksum", "checksum of every replica's databases, with its log position");
  checksum_cmd->add_option("--group", ctl.group, "only this shard group");
  checksum_cmd->add_flag("--json", ctl.json, "print JSON instead of a table");

  CLI::App* failover_cmd = ctl_cmd->add_subcommand(
      "failover", "move a group's primary to one of its in-sync backups, without failing a client");
  failover_cmd->add_option("--group", ctl.group, "the shard group")->required();
  failover_cmd->add_option("--to", ctl.to, "the backup's node id (default: any in-sync backup)");

  CLI::App* certs_cmd = ctl_cmd->add_subcommand(
      "certs", "create a cluster CA (unless <dir>/ca.crt exists) and a certificate it signs, for --cluster-*");
  certs_cmd->add_option("--dir", ctl.certs_dir, "directory for ca.crt, ca.key, <name>.crt, <name>.key")->required();
  certs_cmd->add_option("--name", ctl.cert_name, "file name of the certificate")->capture_default_str();
  certs_cmd->add_option("--host", ctl.cert_hosts,
                        "IP address or DNS name the certificate's holder is reached at (repeatable; default "
                        "127.0.0.1, ::1 and localhost)");

  CLI11_PARSE(app, argc, argv);
  if (start_cmd->parsed()) return RunStart(start);
  // Before any etcd client exists (etcd_tls.h).
  const tessera::cluster::etcd::EtcdTlsFiles& etcd_tls =
      gateway_cmd->parsed() ? gateway.etcd_tls : storage_cmd->parsed() ? storage.etcd_tls : ctl.etcd_tls;
  try {
    tessera::cluster::etcd::UseEtcdTls(etcd_tls);
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return 2;
  }
  if (gateway_cmd->parsed()) return RunGateway(gateway);
  if (storage_cmd->parsed()) return RunStorage(storage);
  ctl.action = init_cmd->parsed()       ? "init"
               : checksum_cmd->parsed() ? "checksum"
               : failover_cmd->parsed() ? "failover"
               : certs_cmd->parsed()    ? "certs"
                                        : "status";
  return RunCtl(ctl);
}
