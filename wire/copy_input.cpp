#include "wire/copy_input.h"

#include <cstdio>

#include "common/error.h"

namespace tessera::wire {

bool CopyInput::Next(std::string& chunk) {
  while (true) {
    std::optional<RawMessage> message = next_();
    if (!message) {
      throw SqlError(sqlstate::kProtocolViolation, "unexpected EOF on client connection with an open transaction");
    }
    switch (message->type) {
      case 'd': chunk = std::move(message->body); return true;
      case 'c': return false;
      case 'f': {
        ReadBuffer in(message->body);
        std::string reason = in.Remaining() > 0 ? in.GetCString() : std::string();
        throw SqlError(sqlstate::kQueryCanceled, "COPY from stdin failed: " + reason);
      }
      case 'H':
      case 'S': continue;
      default: {
        char text[80];
        std::snprintf(text, sizeof text, "unexpected message type 0x%02X during COPY from stdin",
                      static_cast<unsigned>(static_cast<unsigned char>(message->type)));
        throw SqlError(sqlstate::kProtocolViolation, text);
      }
    }
  }
}

void EncodeCopyResponse(WriteBuffer& out, char type, bool binary, size_t columns) {
  size_t at = out.Begin(type);
  out.PutByte(binary ? 1 : 0);
  out.PutInt16(static_cast<int16_t>(columns));
  for (size_t i = 0; i < columns; ++i) out.PutInt16(binary ? 1 : 0);
  out.End(at);
}

void EncodeCopyData(WriteBuffer& out, std::string_view data) {
  size_t at = out.Begin('d');
  out.PutBytes(data);
  out.End(at);
}

}  // namespace tessera::wire
