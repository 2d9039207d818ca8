// The wire format of the node-to-node transport.
//
// Every message is one frame:
//
//   offset  size  field
//   0       4     length: bytes after this field (12 + payload size), big endian
//   4       1     protocol version, kProtocolVersion (1)
//   5       1     kind (FrameKind)
//   6       2     method, big endian (responses repeat the request's method)
//   8       8     request id, big endian (chosen by the client, unique per connection)
//   16      ...   payload
//
// A request is one kRequest frame; its response is zero or more kChunk frames
// followed by exactly one kEnd or kError frame with the same request id.
// Responses to different requests on one connection interleave freely. kCancel
// (empty payload) asks the server to stop a request; the server still ends it
// with kEnd or kError, which the client may already have stopped waiting for.
//
// A receiver refuses and closes the connection on a frame of another version,
// an unknown kind, a kind that may not travel in that direction, or a length
// below the 12-byte minimum or above kMaxFrameSize: once framing is in doubt
// nothing later on the connection can be trusted. Lengths are checked before
// anything is allocated.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace tessera::cluster::transport {

inline constexpr uint8_t kProtocolVersion = 1;
inline constexpr size_t kFrameHeaderSize = 16;
// Whole frame, header included. Bigger results must be streamed as chunks.
inline constexpr size_t kMaxFrameSize = size_t{256} << 20;
inline constexpr size_t kMaxPayloadSize = kMaxFrameSize - kFrameHeaderSize;

enum class FrameKind : uint8_t {
  kRequest = 1,  // client → server: payload = request
  kChunk = 2,    // server → client: one streamed part of the response
  kEnd = 3,      // server → client: the final part (payload may be empty)
  kError = 4,    // server → client: payload = 5-byte SQLSTATE + message
  kCancel = 5,   // client → server: stop request `id`; empty payload
};

struct FrameHeader {
  uint8_t version = kProtocolVersion;
  FrameKind kind = FrameKind::kRequest;
  uint16_t method = 0;
  uint64_t request_id = 0;
  size_t payload_size = 0;
};

enum class FrameCheck { kOk, kBadVersion, kBadKind, kTooShort, kTooLong };

// Decodes the kFrameHeaderSize bytes at `data`. Anything but kOk means the
// connection must be closed.
FrameCheck DecodeFrameHeader(const char* data, FrameHeader& out);
const char* DescribeFrameCheck(FrameCheck check);

using EncodedHeader = std::array<char, kFrameHeaderSize>;
EncodedHeader EncodeFrameHeader(FrameKind kind, uint16_t method, uint64_t request_id, size_t payload_size);

// The whole frame in one string (tests and small messages).
std::string EncodeFrame(FrameKind kind, uint16_t method, uint64_t request_id, std::string_view payload);

// kError payloads. A payload shorter than 5 bytes decodes as XX000.
std::string EncodeErrorPayload(std::string_view sqlstate, std::string_view message);
// The whole error: SQLSTATE, message, then NUL-separated detail, hint and
// context (PostgreSQL's messages never contain NUL), so a client of the
// cluster sees the same ErrorResponse fields as one of a single node.
std::string EncodeErrorPayload(const SqlError& error);
SqlError DecodeErrorPayload(std::string_view payload);

}  // namespace tessera::cluster::transport
