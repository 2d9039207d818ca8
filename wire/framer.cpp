#include "wire/framer.h"

#include "wire/wire_buffer.h"

namespace tessera::wire {

std::optional<RawMessage> Framer::Next() {
  size_t header = in_startup_ ? 4 : 5;
  if (Buffered() < header) return std::nullopt;
  const char* p = buffer_.data() + pos_;
  char type = in_startup_ ? RawMessage::kStartupType : p[0];
  uint32_t len = ReadBuffer(std::string_view(p + header - 4, 4)).GetInt32();
  // The length counts itself; a startup packet also needs its 4-byte code.
  uint32_t min_len = in_startup_ ? 8 : 4;
  uint32_t max_len = in_startup_ ? limits_.max_startup_length : limits_.max_message_length;
  if (len < min_len || len > max_len) {
    throw ProtocolViolation(in_startup_ ? "invalid length of startup packet"
                                        : "invalid message length");
  }
  size_t total = header - 4 + size_t{len};
  if (len > kReservedMessage && !reservation_) {
    reservation_ = std::make_shared<const PoolReservation>(static_cast<int64_t>(total), "MessageContext");
  }
  if (Buffered() < total) {
    buffer_.reserve(pos_ + total);  // safe: len was bounded above
    return std::nullopt;
  }
  RawMessage msg;
  msg.type = type;
  msg.body.assign(p + header, total - header);
  msg.memory = std::move(reservation_);
  pos_ += total;
  if (in_startup_) {
    int32_t code = ReadBuffer(msg.body).GetInt32();
    // SSL and GSS requests are answered 'N' and another startup packet
    // follows; anything else ends the startup phase.
    if (code != kSslRequestCode && code != kGssEncRequestCode) in_startup_ = false;
  }
  // Drop consumed bytes once they dominate, so the buffer does not grow forever.
  if (pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  } else if (pos_ > 65536 && pos_ * 2 > buffer_.size()) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  return msg;
}

}  // namespace tessera::wire
