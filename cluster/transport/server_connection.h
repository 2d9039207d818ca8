// One accepted connection on an RpcServer. The I/O side (the strand) reads
// frames: a request becomes a ResponseStream, registered by request id so a
// kCancel or a disconnect can mark it cancelled, and its handler is posted to
// the worker pool. The worker side sends chunks and the final frame back
// through the shared write queue; chunks wait while the queue is too full.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cluster/transport/framed_socket.h"
#include "cluster/transport/response_stream.h"
#include "cluster/transport/rpc_server.h"

namespace tessera::cluster::transport::detail {

class ServerCore;

class ServerConnection final : public FramedSocket {
 public:
  ServerConnection(boost::asio::io_context& io, ServerCore& core, uint64_t id);

  uint64_t Id() const { return id_; }
  boost::asio::ip::tcp::socket& Socket() { return socket_; }  // for accept, before Start
  // After accept, from the acceptor: sets TCP_NODELAY and starts reading.
  void Start();

  // Worker side, for ResponseStream::Send.
  void SendChunk(ResponseStream& stream, std::string chunk);

 protected:
  bool Accepts(FrameKind kind) const override;
  bool OnFrame(const FrameHeader& header, std::string payload) override;
  void OnClosed(const std::string& reason) override;

 private:
  void HandleRequest(const FrameHeader& header, std::string payload);
  void HandleCancel(uint64_t request_id);
  // Worker side: runs the handler and sends its kEnd or kError.
  void RunHandler(const std::shared_ptr<ResponseStream>& stream, const RpcServer::Handler& handler,
                  const std::string& payload);

  ServerCore& core_;
  const uint64_t id_;
  std::mutex requests_mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<ResponseStream>> requests_;  // running or waiting for a worker
};

}  // namespace tessera::cluster::transport::detail
