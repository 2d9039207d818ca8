// Parsing of the client's endpoint list ("http://host:port,http://host2:port"). Internal to
// cluster/etcd; a separate file so Client and Watcher agree on one syntax.
#pragma once

#include <string>
#include <vector>

namespace tessera::cluster::etcd {

struct Endpoint {
  std::string url;   // as given, for error messages
  std::string host;  // without brackets for IPv6 literals
  std::string port;
  bool tls = false;  // https://
};

// Throws EtcdError on an empty list, a missing port, another scheme than http:// and https://, or
// an https:// endpoint before UseEtcdTls (etcd_tls.h) set the CA to check etcd's certificate with.
std::vector<Endpoint> ParseEndpoints(const std::string& endpoints);

}  // namespace tessera::cluster::etcd
