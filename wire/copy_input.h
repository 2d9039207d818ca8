// The COPY sub-protocol on the wire: the messages the server sends
// (CopyInResponse 'G', CopyOutResponse 'H', CopyData 'd', CopyDone 'c') and
// CopyInput, which hands the client's CopyData to a COPY FROM STDIN running
// on a worker thread. The worker pulls messages while the statement runs:
// from the connection's inbox (filled by the I/O thread, bounded, so a fast
// client is paused) or, in tests, from the handler's own framer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "wire/framer.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

// Where a handler reads further messages while a statement is running.
class MessageSource {
 public:
  virtual ~MessageSource() = default;
  // Blocks until the next framed message; nullopt when the connection is
  // gone, shutting down or its stream broke (the reason stays queued for
  // the handler).
  virtual std::optional<RawMessage> NextMessage() = 0;
};

class CopyInput {
 public:
  explicit CopyInput(std::function<std::optional<RawMessage>()> next) : next_(std::move(next)) {}
  // The next CopyData payload (true) or CopyDone (false). Sync and Flush are
  // skipped, as PostgreSQL does: libpq pipelines a Sync behind an extended
  // COPY. Throws 57014 on CopyFail, 08P01 on any other message or EOF.
  bool Next(std::string& chunk);

 private:
  std::function<std::optional<RawMessage>()> next_;
};

// 'G' or 'H': overall format and one format per column.
void EncodeCopyResponse(WriteBuffer& out, char type, bool binary, size_t columns);
void EncodeCopyData(WriteBuffer& out, std::string_view data);

}  // namespace tessera::wire
