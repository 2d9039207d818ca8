#include "cluster/etcd/endpoint.h"

#include <string_view>

#include "cluster/etcd/etcd_tls_context.h"
#include "cluster/etcd/etcd_types.h"

namespace tessera::cluster::etcd {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '/')) s.remove_suffix(1);
  return s;
}

Endpoint ParseOne(std::string_view text) {
  Endpoint ep;
  ep.url = std::string(text);
  std::string_view rest = text;
  if (rest.starts_with("http://")) {
    rest.remove_prefix(7);
  } else if (rest.starts_with("https://")) {
    if (!EtcdTlsContext()) throw EtcdError("etcd endpoint '" + ep.url + "': https:// needs --etcd-ca");
    rest.remove_prefix(8);
    ep.tls = true;
  } else if (rest.find("://") != std::string_view::npos) {
    throw EtcdError("etcd endpoint '" + ep.url + "': only http:// and https:// are supported");
  }
  std::string_view host, port;
  if (rest.starts_with("[")) {  // [::1]:2379
    auto close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      throw EtcdError("etcd endpoint '" + ep.url + "': expected [address]:port");
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) throw EtcdError("etcd endpoint '" + ep.url + "': missing port");
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) {
    throw EtcdError("etcd endpoint '" + ep.url + "': expected http://host:port");
  }
  ep.host = std::string(host);
  ep.port = std::string(port);
  return ep;
}

}  // namespace

std::vector<Endpoint> ParseEndpoints(const std::string& endpoints) {
  std::vector<Endpoint> result;
  std::string_view rest = endpoints;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    if (!item.empty()) result.push_back(ParseOne(item));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (result.empty()) throw EtcdError("etcd endpoints '" + endpoints + "': no endpoint given");
  return result;
}

}  // namespace tessera::cluster::etcd
