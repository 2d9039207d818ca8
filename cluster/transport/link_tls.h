// Mutual TLS for the node-to-node transport (issue 13, "authenticated
// cluster links"): every gateway, storage node and `tessera ctl` holds a
// certificate signed by the cluster's CA and presents it on every
// connection, so a process that can reach a node's port but holds no
// certificate of the cluster is refused before it can send a request.
//
// Both ends verify the other: the server requires a client certificate
// signed by the CA, and the client checks that the server's certificate is
// signed by the CA and names the host it dialled (an IP address or DNS
// name in the certificate's subjectAltName), so a process that took over a
// node's address without the node's key cannot pose as it.
//
// This header needs no Asio; RpcServer and RpcClient take a LinkTls and
// build their OpenSSL contexts from it.
#pragma once

#include <string>

namespace tessera::cluster::transport {

struct LinkTls {
  std::string ca_file;    // PEM: the cluster CA, the only issuer trusted
  std::string cert_file;  // PEM: this process's certificate (chain)
  std::string key_file;   // PEM: its private key
  // All three or none: CheckLinkTls says which is missing.
  bool Enabled() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

// Throws std::runtime_error naming the flag when only some of the three
// files are given, or one cannot be loaded (so a node fails at start, not
// on its first connection).
void CheckLinkTls(const LinkTls& tls);

// Whether `host` is an IPv4 or IPv6 literal rather than a DNS name: a
// certificate names the two differently (IP: and DNS: subjectAltNames).
bool IsIpAddress(const std::string& host);

}  // namespace tessera::cluster::transport
