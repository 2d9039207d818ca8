// The server half of the node-to-node transport: a storage node (or the
// timestamp oracle) listens here for requests from gateways and other nodes.
//
// Each request names a method (uint16_t) registered with a Handler. Handlers
// run on a worker pool, never on an I/O thread, so they may block on disk or
// locks; several requests from one connection run concurrently. A handler may
// stream chunks through its ResponseStream, then returns the final payload.
// Failures travel as SQLSTATE + message, so a gateway can hand a storage
// node's SqlError to its SQL client unchanged. The wire format is in frame.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cluster/transport/link_tls.h"
#include "cluster/transport/response_stream.h"

namespace tessera::cluster::transport {

namespace detail {
class ServerCore;
}

struct ServerStats {
  uint64_t connections_accepted = 0;
  uint64_t send_waits = 0;         // times a ResponseStream::Send blocked on backpressure
  uint64_t peak_queued_bytes = 0;  // most bytes ever queued unsent on one connection
};

class RpcServer {
 public:
  // Runs on a worker. May Send chunks, then returns the final payload (sent as
  // kEnd). A thrown SqlError becomes kError with its SQLSTATE and message (the
  // detail and hint are not carried); any other exception becomes XX000.
  using Handler = std::function<std::string(std::string_view payload, ResponseStream& stream)>;

  // port 0: any free port (see Port()). `workers` bounds how many handlers run
  // at once; a request beyond that waits for a free worker. With `tls`
  // enabled, only peers with a certificate of the cluster CA get in
  // (link_tls.h); it throws std::runtime_error if the files are unusable.
  RpcServer(std::string host, uint16_t port, size_t io_threads = 1, size_t workers = 16, const LinkTls& tls = {});
  ~RpcServer();  // Stop()
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Before Start. A request for an unregistered method gets kError 0A000.
  void Register(uint16_t method, Handler handler);
  // Before Start. Requests of `method` for which `run_inline(payload)` is
  // true run on the I/O thread that read them, saving the hand-off to a
  // worker (two thread switches, which dominate a point lookup's cost on a
  // busy machine). Only for requests whose handler neither blocks for long
  // nor streams chunks: it holds up the connection while it runs.
  using InlineFilter = std::function<bool(std::string_view payload)>;
  void RunInline(uint16_t method, InlineFilter run_inline);
  // Before Start. Called on a worker after a connection closed and its running
  // handlers were marked cancelled (they may still be running).
  void OnDisconnect(std::function<void(uint64_t connection_id)> hook);
  // Binds and listens; throws SqlError 08006 if it cannot bind.
  void Start();
  // Closes the listener and all connections (marking their requests
  // cancelled), waits for running handlers to return, joins all threads.
  // Idempotent; a stopped server cannot be started again. Never call it from a
  // handler (it waits for the handlers).
  void Stop();
  uint16_t Port() const;  // the bound port, after Start
  ServerStats Stats() const;

 private:
  std::unique_ptr<detail::ServerCore> core_;
};

}  // namespace tessera::cluster::transport
