// TLS to etcd (https:// endpoints, issue 13): the CA that signed etcd's
// server certificate and, when etcd runs with --client-cert-auth, this
// process's client certificate. Process-wide configuration, set once at
// start from --etcd-ca/--etcd-cert/--etcd-key before any Client or Watcher
// exists: every etcd connection of a process (its client pool, watches,
// leases, elections) uses the same files, and threading them through each
// of those constructors would add nothing.
#pragma once

#include <string>

namespace tessera::cluster::etcd {

struct EtcdTlsFiles {
  std::string ca_file;    // PEM: CA of etcd's server certificate (required for https://)
  std::string cert_file;  // PEM: client certificate, for etcd's --client-cert-auth (optional)
  std::string key_file;   // PEM: its key (with cert_file)
  bool Enabled() const { return !ca_file.empty(); }
};

// Loads the files (throws std::runtime_error naming the flag when one is
// unusable) and makes https:// endpoints usable. Call at most once, at start.
void UseEtcdTls(const EtcdTlsFiles& files);

}  // namespace tessera::cluster::etcd
