// The client's connection to one storage node address: connects (bounded by a
// timer, never the OS's minutes-long default), multiplexes the calls of all
// threads by request id, and hands each response frame to its call's
// CallState. When one call has too much buffered, reading pauses until its
// caller catches up: TCP then pushes back on the server, whose handler blocks
// in Send. Internal to the transport.
//
// Who reads: while no call is in flight nobody does, and the first caller to
// wait then reads the socket on its own thread (ReadForCall), delivering
// every frame that comes, its own and other callers'. That saves the hand-off
// through the I/O thread (its wake-up and the condvar wake of the caller),
// which is most of a point query's transport cost on a busy machine. When it
// has its answer and other calls are still in flight, the strand reads for
// them, until none is left.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "cluster/transport/call_state.h"
#include "cluster/transport/framed_socket.h"

namespace tessera::cluster::transport::detail {

class ClientCore;

// Reasons for closing a connection on purpose: logged quietly.
inline constexpr const char* kResetReason = "connection reset by the caller";
inline constexpr const char* kShutdownReason = "transport client shut down";

// Splits "host:port" or "[v6 address]:port"; false when malformed.
bool SplitAddress(const std::string& address, std::string& host, uint16_t& port);

class ClientConnection final : public FramedSocket {
 public:
  ClientConnection(boost::asio::io_context& io, ClientCore& core, std::string address);
  ~ClientConnection() override;

  const std::string& Address() const { return address_; }
  // Starts resolving and connecting; gives up after `timeout`. Thread-safe, once.
  void Connect(std::chrono::milliseconds timeout);
  bool Connected() const { return connected_.load(std::memory_order_acquire); }

  // Registers a call and queues its request. Returns null when the connection
  // already failed (it is then no longer the address's connection): Failure()
  // says why. `payload` is moved from only on success.
  std::shared_ptr<CallState> Begin(uint16_t method, std::string& payload);
  SqlError Failure() const;
  // The caller stopped waiting (timeout, cancel, error in on_chunk, Pending
  // dropped): forget the call and send kCancel if it was still running.
  void Abandon(CallState& call);
  // With `call_lock` (on call.mutex) held: if nobody reads the socket, reads
  // it on this thread until `call` has news or `until`, and returns true
  // (call_lock held again). False: someone else reads; wait on call.cv.
  bool ReadForCall(CallState& call, std::unique_lock<std::mutex>& call_lock,
                   std::chrono::steady_clock::time_point until);
  // For a call its caller will wait for later (RpcClient::Start): if nobody
  // reads, the strand starts reading, so the answer (and the node's
  // heartbeats) arrive and count as progress while the caller is busy with
  // other calls.
  void ReadForLaterCall();
  // The caller drained a call's queue below the resume mark.
  void CallDrained() { ResumeReading(); }
  // Fails every call in flight with `error` and refuses new ones (client shutdown).
  void FailAll(const SqlError& error);

 protected:
  bool Accepts(FrameKind kind) const override;
  bool OnFrame(const FrameHeader& header, std::string payload) override;
  void OnClosed(const std::string& reason) override;
  bool StopReadingWhenIdle() override;

 private:
  void ConnectOnStrand(std::chrono::milliseconds timeout);
  void OnConnected(const boost::system::error_code& ec);
  void OnReady();  // connected (and with TLS, the handshake done): start I/O
  // With calls_mutex_ held and nobody reading: why the peer is gone, or "".
  std::string PeerGone() const;

  ClientCore& core_;
  const std::string address_;
  boost::asio::steady_timer connect_timer_;  // strand only
  boost::asio::ip::tcp::resolver resolver_;  // strand only
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> next_request_id_{1};

  mutable std::mutex calls_mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<CallState>> calls_;
  std::optional<SqlError> failure_;  // set once failed: no new calls
  enum class Reader { kStrand, kNobody, kCaller };
  Reader reader_ = Reader::kStrand;
  // A second descriptor of the socket for ReadForCall, closed only by the
  // destructor: the strand may close the socket's own descriptor at any
  // time, and a read must never hit a number the OS gave to another file.
  int read_fd_ = -1;
};

}  // namespace tessera::cluster::transport::detail
