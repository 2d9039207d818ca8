// The client half of the node-to-node transport: a gateway calls storage nodes
// here, and storage nodes call each other and the timestamp-oracle leader.
//
// One TCP connection per address, opened on first use and again after it
// breaks, shared by every calling thread: requests carry ids and responses are
// matched back to their caller, so a slow request never holds up a fast one.
// A caller waiting on a connection nobody else reads reads its answer on its
// own thread; otherwise the client's I/O thread reads and wakes it.
// Every wait is bounded: a refused connect fails at once, and a node that
// accepts but never answers (hung, SIGSTOPped, partitioned) fails after
// CallOptions::timeout without progress. All failures are SqlError (08006 for
// an unreachable node, 57014 for a cancel, the server's own SQLSTATE for its
// errors), ready to hand to the SQL client.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "cluster/transport/link_tls.h"

namespace tessera::cluster::transport {

namespace detail {
class ClientCore;
class ClientConnection;
struct CallState;
}  // namespace detail

struct CallOptions {
  // No frame from the server for this long (counted from the call, or from the
  // last chunk received or consumed) → kCancel is sent and the call throws 08006
  // "storage node <addr> did not answer within <n> ms". Also bounds the
  // connect when the call opens the connection.
  std::chrono::milliseconds timeout{5000};
  // Polled every ~10 ms while waiting: once set, kCancel is sent and the call
  // throws 57014 "canceling statement due to user request".
  std::atomic<bool>* cancel = nullptr;
  // Polled with `cancel` once no frame came for kReplacedPollAfter: true
  // means the node no longer serves the request's shard group (a failover
  // elected another primary, as a paused primary does not know yet), and the
  // call throws 08006 ReplacedByFailover instead of waiting for the timeout.
  std::function<bool()> replaced{};
};

struct ClientStats {
  uint64_t connections_opened = 0;
  uint64_t read_pauses = 0;  // times reading stopped because a call had too much queued
};

class RpcClient {
 public:
  using ChunkCallback = std::function<void(std::string&&)>;

  // A call that was started and can be waited for once, on any one thread.
  // Destroying it before Wait() returned cancels the call on the server.
  // May outlive the RpcClient (Wait then throws 08006 "lost").
  class Pending {
   public:
    ~Pending();
    Pending(const Pending&) = delete;
    Pending& operator=(const Pending&) = delete;
    // Like Call: chunks go to on_chunk on this thread, then the kEnd payload is
    // returned or the error thrown. At most once.
    std::string Wait();

   private:
    friend class RpcClient;
    Pending(std::shared_ptr<detail::ClientCore> core, std::shared_ptr<detail::ClientConnection> connection,
            std::shared_ptr<detail::CallState> call, const CallOptions& options, ChunkCallback on_chunk);

    std::shared_ptr<detail::ClientCore> core_;  // first: destroyed last, it owns the io_context
    std::shared_ptr<detail::ClientConnection> connection_;
    std::shared_ptr<detail::CallState> call_;
    CallOptions options_;
    ChunkCallback on_chunk_;
    bool waited_ = false;
  };

  // With `tls` enabled, every connection is mutual TLS (link_tls.h); throws
  // std::runtime_error if the files are unusable.
  explicit RpcClient(size_t io_threads = 1, const LinkTls& tls = {});
  // Fails calls still in flight with 08006 "lost" and joins the I/O threads.
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  // Synchronous call to "host:port" ("[v6]:port" too). on_chunk, if given, gets
  // each kChunk in order on the calling thread before the kEnd payload is
  // returned. Errors:
  //   08006 "could not connect to storage node <addr>: <reason>" (refused, unresolvable, connect timeout)
  //   08006 "connection to storage node <addr> lost" (broke mid-call, Reset, client destroyed)
  //   08006 "storage node <addr> did not answer within <n> ms"
  //   57014 "canceling statement due to user request" (options.cancel)
  //   a kError from the server: its SQLSTATE and message
  //   54000 for a payload over kMaxPayloadSize (256 MiB less the header)
  //   whatever on_chunk throws (the call is cancelled on the server)
  std::string Call(const std::string& address, uint16_t method, std::string_view payload,
                   const CallOptions& options = {}, const ChunkCallback& on_chunk = {});

  // Asynchronous form, for fanning one request out to many nodes: the request
  // is queued for sending at once. Never throws SqlError itself: every error,
  // even an invalid address, comes from Wait(). Responses are buffered until
  // Wait(); if one call buffers over ~16 MiB its connection stops reading
  // until that call is waited for, so wait for the Pendings of one address in
  // start order (or from several threads); never leave a streaming call
  // unwaited while waiting for another on the same address.
  std::shared_ptr<Pending> Start(const std::string& address, uint16_t method, std::string payload,
                                 const CallOptions& options = {}, ChunkCallback on_chunk = {});

  // Drops the connection to `address` (after a node was declared dead): calls
  // in flight on it fail with 08006 "lost"; the next call connects anew.
  void Reset(const std::string& address);

  ClientStats Stats() const;

 private:
  std::shared_ptr<detail::ClientCore> core_;
};

}  // namespace tessera::cluster::transport
