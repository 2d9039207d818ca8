#include "cluster/transport/frame.h"

#include <iterator>
#include <vector>

namespace tessera::cluster::transport {

namespace {

// The length field counts everything after itself.
constexpr size_t kLengthFieldSize = 4;
constexpr size_t kMinLength = kFrameHeaderSize - kLengthFieldSize;

uint64_t ReadBigEndian(const char* data, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(data[i]);
  return value;
}

void WriteBigEndian(char* out, uint64_t value, size_t bytes) {
  for (size_t i = bytes; i-- > 0;) {
    out[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
}

}  // namespace

FrameCheck DecodeFrameHeader(const char* data, FrameHeader& out) {
  const uint64_t length = ReadBigEndian(data, 4);
  if (length < kMinLength) return FrameCheck::kTooShort;
  if (length > kMaxFrameSize - kLengthFieldSize) return FrameCheck::kTooLong;
  out.version = static_cast<uint8_t>(data[4]);
  if (out.version != kProtocolVersion) return FrameCheck::kBadVersion;
  const auto kind = static_cast<uint8_t>(data[5]);
  if (kind < static_cast<uint8_t>(FrameKind::kRequest) || kind > static_cast<uint8_t>(FrameKind::kCancel)) {
    return FrameCheck::kBadKind;
  }
  out.kind = static_cast<FrameKind>(kind);
  out.method = static_cast<uint16_t>(ReadBigEndian(data + 6, 2));
  out.request_id = ReadBigEndian(data + 8, 8);
  out.payload_size = length - kMinLength;
  return FrameCheck::kOk;
}

const char* DescribeFrameCheck(FrameCheck check) {
  switch (check) {
    case FrameCheck::kOk:
      return "ok";
    case FrameCheck::kBadVersion:
      return "unsupported protocol version";
    case FrameCheck::kBadKind:
      return "unknown frame kind";
    case FrameCheck::kTooShort:
      return "frame length below the header size";
    case FrameCheck::kTooLong:
      return "frame larger than 256 MiB";
  }
  return "invalid frame";
}

EncodedHeader EncodeFrameHeader(FrameKind kind, uint16_t method, uint64_t request_id, size_t payload_size) {
  EncodedHeader header;
  WriteBigEndian(header.data(), kMinLength + payload_size, 4);
  header[4] = static_cast<char>(kProtocolVersion);
  header[5] = static_cast<char>(kind);
  WriteBigEndian(header.data() + 6, method, 2);
  WriteBigEndian(header.data() + 8, request_id, 8);
  return header;
}

std::string EncodeFrame(FrameKind kind, uint16_t method, uint64_t request_id, std::string_view payload) {
  const EncodedHeader header = EncodeFrameHeader(kind, method, request_id, payload.size());
  std::string frame;
  frame.reserve(header.size() + payload.size());
  frame.append(header.data(), header.size());
  frame.append(payload);
  return frame;
}

std::string EncodeErrorPayload(std::string_view sqlstate, std::string_view message) {
  std::string payload(5, '0');
  // A malformed SQLSTATE must not shift the message: always exactly 5 bytes.
  for (size_t i = 0; i < 5 && i < sqlstate.size(); ++i) payload[i] = sqlstate[i];
  payload.append(message);
  return payload;
}

std::string EncodeErrorPayload(const SqlError& error) {
  std::string payload = EncodeErrorPayload(error.Sqlstate(), error.Message());
  const SqlError::ObjectFields& object = error.Object();
  const std::string* fields[] = {&error.Detail(), &error.Hint(),   &error.Context(),    &object.schema,
                                 &object.table,   &object.column, &object.datatype, &object.constraint};
  // Trailing empty fields are left out: most errors are the message alone.
  size_t used = std::size(fields);
  while (used > 0 && fields[used - 1]->empty()) --used;
  for (size_t i = 0; i < used; ++i) {
    payload.push_back('\0');
    payload.append(*fields[i]);
  }
  return payload;
}

SqlError DecodeErrorPayload(std::string_view payload) {
  if (payload.size() < 5) return SqlError(sqlstate::kInternalError, "malformed error frame from storage node");
  std::string_view rest = payload.substr(5);
  std::vector<std::string> parts;
  while (true) {
    size_t nul = rest.find('\0');
    parts.emplace_back(rest.substr(0, nul));
    if (nul == std::string_view::npos) break;
    rest.remove_prefix(nul + 1);
  }
  parts.resize(9);
  SqlError error(std::string(payload.substr(0, 5)), parts[0], parts[1], parts[2]);
  if (!parts[3].empty()) error.WithContext(parts[3]);
  error.WithObject({parts[4], parts[5], parts[6], parts[7], parts[8]});
  return error;
}

}  // namespace tessera::cluster::transport
