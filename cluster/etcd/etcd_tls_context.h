// The OpenSSL context behind UseEtcdTls (etcd_tls.h). Internal to cluster/etcd.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>

namespace tessera::cluster::etcd {

// Null until UseEtcdTls succeeded.
std::shared_ptr<boost::asio::ssl::context> EtcdTlsContext();

}  // namespace tessera::cluster::etcd
