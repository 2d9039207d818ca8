#include "cluster/transport/server_connection.h"

#include <new>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "cluster/transport/server_core.h"
#include "cluster/transport/transport_errors.h"

namespace tessera::cluster::transport::detail {

namespace asio = boost::asio;

namespace {

// Above this much unsent output a handler's Send waits (ResponseStream::Send).
constexpr size_t kSendQueueLimit = size_t{8} << 20;
// A cluster peer finishes its handshake in milliseconds; anything slower is
// not one of ours, or a node too stalled to be useful.
constexpr std::chrono::milliseconds kHandshakeTimeout{10000};

}  // namespace

ServerConnection::ServerConnection(asio::io_context& io, ServerCore& core, uint64_t id)
    : FramedSocket(io, core.Tls()), core_(core), id_(id) {}

void ServerConnection::Start() {
  boost::system::error_code ignored;
  // Replies are small and latency-bound (one round trip per point query).
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  asio::post(strand_, [self = std::static_pointer_cast<ServerConnection>(shared_from_this())] {
    if (!self->Secured()) {
      self->StartIo();
      return;
    }
    self->Handshake(/*server=*/true, {}, kHandshakeTimeout, [self](const std::string& error) {
      if (error.empty()) {
        self->StartIo();
        return;
      }
      // Nothing was read from this peer: it never got to send a request.
      spdlog::warn("transport: refused connection from {}: {}", self->PeerName(), error);
      self->CloseOnStrand(error);
    });
  });
}

bool ServerConnection::Accepts(FrameKind kind) const {
  return kind == FrameKind::kRequest || kind == FrameKind::kCancel;
}

bool ServerConnection::OnFrame(const FrameHeader& header, std::string payload) {
  if (header.kind == FrameKind::kRequest) {
    HandleRequest(header, std::move(payload));
  } else {
    HandleCancel(header.request_id);
  }
  return true;
}

void ServerConnection::HandleRequest(const FrameHeader& header, std::string payload) {
  const RpcServer::Handler* handler = core_.FindHandler(header.method);
  if (handler == nullptr) {
    Send(FrameKind::kError, header.method, header.request_id,
         EncodeErrorPayload(sqlstate::kFeatureNotSupported,
                            fmt::format("storage node has no transport method {}", header.method)));
    return;
  }
  auto self = std::static_pointer_cast<ServerConnection>(shared_from_this());
  auto stream = std::make_shared<ResponseStream>(self, header.request_id, header.method);
  bool added;
  {
    std::lock_guard lock(requests_mutex_);
    added = requests_.emplace(header.request_id, stream).second;
  }
  if (!added) {
    // Two live requests with one id: the client's bookkeeping is broken, so
    // its answers could go to the wrong caller.
    spdlog::warn("transport: closing connection from {}: duplicate request id {}", PeerName(), header.request_id);
    CloseOnStrand("protocol violation: duplicate request id");  // OnClosed takes requests_mutex_
    return;
  }
  if (core_.RunsInline(header.method, payload)) {
    stream->on_io_thread_ = true;
    RunHandler(stream, *handler, payload);
    return;
  }
  core_.RunOnWorker([self = std::move(self), stream = std::move(stream), handler, payload = std::move(payload)] {
    self->RunHandler(stream, *handler, payload);
  });
}

void ServerConnection::HandleCancel(uint64_t request_id) {
  std::shared_ptr<ResponseStream> stream;
  {
    std::lock_guard lock(requests_mutex_);
    auto it = requests_.find(request_id);
    if (it == requests_.end()) return;  // finished already
    stream = it->second;
  }
  stream->cancelled_ = true;
  WakeWaiters();
}

void ServerConnection::RunHandler(const std::shared_ptr<ResponseStream>& stream, const RpcServer::Handler& handler,
                                  const std::string& payload) {
  FrameKind kind = FrameKind::kError;
  std::string result;
  if (stream->Cancelled()) {
    // Cancelled while queued for a worker: do not start work nobody awaits.
    result = EncodeErrorPayload(sqlstate::kQueryCanceled, CanceledByUser().Message());
  } else {
    try {
      result = handler(payload, *stream);
      if (result.size() > kMaxPayloadSize) throw PayloadTooLarge(result.size());
      kind = FrameKind::kEnd;
    } catch (const SqlError& e) {
      result = EncodeErrorPayload(e);
    } catch (const std::bad_alloc&) {
      result = EncodeErrorPayload(sqlstate::kOutOfMemory, "out of memory");  // as PostgreSQL, not XX000
    } catch (const std::exception& e) {
      result = EncodeErrorPayload(sqlstate::kInternalError, e.what());
    } catch (...) {
      result = EncodeErrorPayload(sqlstate::kInternalError, "unknown exception in transport handler");
    }
  }
  {
    std::lock_guard lock(requests_mutex_);
    requests_.erase(stream->RequestId());
  }
  // The final frame is not held back by backpressure: it is one frame per
  // request, and the handler's memory is released right after.
  Send(kind, stream->Method(), stream->RequestId(), std::move(result));
}

void ServerConnection::SendChunk(ResponseStream& stream, std::string chunk) {
  if (chunk.size() > kMaxPayloadSize) throw PayloadTooLarge(chunk.size());
  const bool writable = WaitQueueBelow(kSendQueueLimit, stream.cancelled_, core_.SendWaits());
  size_t queued = kClosed;
  if (writable) queued = Send(FrameKind::kChunk, stream.Method(), stream.RequestId(), std::move(chunk));
  if (queued == kClosed) {
    if (Closed()) throw RequestCanceled("the requesting node disconnected");
    throw CanceledByUser();
  }
  core_.CountQueued(queued);
}

void ServerConnection::OnClosed(const std::string& reason) {
  spdlog::debug("transport: connection {} from {} closed: {}", id_, PeerName(), reason);
  std::vector<std::shared_ptr<ResponseStream>> running;
  {
    std::lock_guard lock(requests_mutex_);
    for (auto& [id, stream] : requests_) running.push_back(stream);
    requests_.clear();
  }
  for (auto& stream : running) stream->cancelled_ = true;
  WakeWaiters();
  core_.ConnectionClosed(id_);
}

}  // namespace tessera::cluster::transport::detail
