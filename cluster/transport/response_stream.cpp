#include "cluster/transport/response_stream.h"

#include "cluster/transport/server_connection.h"
#include "cluster/transport/transport_errors.h"

namespace tessera::cluster::transport {

ResponseStream::ResponseStream(std::shared_ptr<detail::ServerConnection> connection, uint64_t request_id,
                               uint16_t method)
    : connection_(std::move(connection)), request_id_(request_id), method_(method) {}

void ResponseStream::Send(std::string chunk) {
  if (Cancelled()) {
    if (connection_ == nullptr || connection_->Closed()) throw RequestCanceled("the requesting node disconnected");
    throw CanceledByUser();
  }
  if (connection_ == nullptr) throw RequestCanceled("no connection");
  connection_->SendChunk(*this, std::move(chunk));
}

uint64_t ResponseStream::ConnectionId() const { return connection_ ? connection_->Id() : 0; }

}  // namespace tessera::cluster::transport
