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
};

// Throws EtcdError on an empty list, an https:// endpoint (no TLS support) or a missing port.
std::vector<Endpoint> ParseEndpoints(const std::string& endpoints);

}  // namespace tessera::cluster::etcd
