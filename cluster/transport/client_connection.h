// The client's connection to one storage node address: connects (bounded by a
// timer, never the OS's minutes-long default), multiplexes the calls of all
// threads by request id, and hands each response frame to its call's
// CallState. When one call has too much buffered, reading pauses until its
// caller catches up: TCP then pushes back on the server, whose handler blocks
// in Send. Internal to the transport.
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
  // The caller drained a call's queue below the resume mark.
  void CallDrained() { ResumeReading(); }
  // Fails every call in flight with `error` and refuses new ones (client shutdown).
  void FailAll(const SqlError& error);

 protected:
  bool Accepts(FrameKind kind) const override;
  bool OnFrame(const FrameHeader& header, std::string payload) override;
  void OnClosed(const std::string& reason) override;

 private:
  void ConnectOnStrand(std::chrono::milliseconds timeout);
  void OnConnected(const boost::system::error_code& ec);

  ClientCore& core_;
  const std::string address_;
  boost::asio::steady_timer connect_timer_;  // strand only
  boost::asio::ip::tcp::resolver resolver_;  // strand only
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> next_request_id_{1};

  mutable std::mutex calls_mutex_;
  std::unordered_map<uint64_t, std::shared_ptr<CallState>> calls_;
  std::optional<SqlError> failure_;  // set once failed: no new calls
};

}  // namespace tessera::cluster::transport::detail
