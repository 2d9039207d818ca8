// Cuts the client's byte stream into messages. Every declared length is
// checked against a minimum and a maximum before anything is allocated for
// the body, so a client announcing a 4 GiB message costs nothing.
//
// Before startup completes the stream carries untyped packets (length, then
// a 32-bit code: protocol version, SSLRequest, GSSENCRequest or
// CancelRequest); afterwards typed messages (one type byte, then length).
// The framer follows that switch itself, from the code of each startup
// packet, so it can run ahead of the handler on the I/O thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <memory>

#include "common/memory_account.h"

namespace tessera::wire {

inline constexpr int32_t kProtocolVersion3 = 196608;  // 3.0
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;
inline constexpr int32_t kCancelRequestCode = 80877102;

struct FramerLimits {
  uint32_t max_startup_length = 10000;          // PostgreSQL's MAX_STARTUP_PACKET_LENGTH
  uint32_t max_message_length = 1u << 30;       // 1 GiB, as PostgreSQL's PQ_LARGE_MESSAGE_LIMIT
};

struct RawMessage {
  static constexpr char kStartupType = '\0';
  char type = kStartupType;  // '\0' for a startup packet
  std::string body;          // without the type byte and the length
  // A big message's bytes, taken from the server's memory pool while it is
  // read and until it has been handled (Framer::kReservedMessage).
  std::shared_ptr<const PoolReservation> memory;
};

class Framer {
 public:
  // A message longer than this takes its bytes from the server's memory
  // pool (--memory-limit) as soon as its length is known, before they are
  // read: a client may send up to 1 GiB in one message (PostgreSQL's
  // limit), and clients sending many of them at once would otherwise grow
  // the server past its limit. Past the pool, 53200.
  static constexpr uint32_t kReservedMessage = 1u << 20;

  explicit Framer(FramerLimits limits = {}) : limits_(limits) {}

  void Append(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete message, or nullopt when more bytes are needed.
  // Throws ProtocolViolation for a length out of bounds; the stream cannot
  // be resynchronised after that.
  std::optional<RawMessage> Next();
  bool InStartup() const { return in_startup_; }
  // Bytes received but not yet returned as messages.
  size_t Buffered() const { return buffer_.size() - pos_; }

 private:
  FramerLimits limits_;
  bool in_startup_ = true;
  std::string buffer_;
  size_t pos_ = 0;  // start of the first unconsumed byte in buffer_
  std::shared_ptr<const PoolReservation> reservation_;  // the big message being read
};

}  // namespace tessera::wire
