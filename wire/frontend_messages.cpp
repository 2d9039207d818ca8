#include "wire/frontend_messages.h"

#include "wire/framer.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

namespace {

char DecodeTarget(ReadBuffer& in, const char* message) {
  char target = static_cast<char>(in.GetByte());
  if (target != 'S' && target != 'P') {
    throw ProtocolViolation(std::string("invalid ") + message + " message subtype " + std::to_string(target));
  }
  return target;
}

}  // namespace

StartupPacket StartupPacket::Decode(const std::string& body) {
  ReadBuffer in(body);
  StartupPacket packet;
  int32_t code = in.GetInt32();
  packet.protocol_version = code;
  if (code == kSslRequestCode || code == kGssEncRequestCode) {
    packet.kind = code == kSslRequestCode ? Kind::kSslRequest : Kind::kGssEncRequest;
    in.ExpectEnd();
    return packet;
  }
  if (code == kCancelRequestCode) {
    packet.kind = Kind::kCancel;
    packet.process_id = in.GetInt32();
    packet.secret_key = in.GetInt32();
    in.ExpectEnd();
    return packet;
  }
  // A version 3 packet is name/value pairs ended by an empty name. Other
  // versions are rejected by the caller with PostgreSQL's message, so the
  // body is not parsed for them.
  if ((code >> 16) != 3) return packet;
  while (true) {
    std::string name = in.GetCString();
    if (name.empty()) break;
    std::string value = in.GetCString();
    packet.parameters.emplace_back(std::move(name), std::move(value));
  }
  if (!in.AtEnd()) throw ProtocolViolation("invalid startup packet layout: expected terminator as last byte");
  return packet;
}

QueryMessage QueryMessage::Decode(const std::string& body) {
  ReadBuffer in(body);
  QueryMessage msg{in.GetCString()};
  in.ExpectEnd();
  return msg;
}

ParseMessage ParseMessage::Decode(const std::string& body) {
  ReadBuffer in(body);
  ParseMessage msg;
  msg.statement = in.GetCString();
  msg.sql = in.GetCString();
  uint16_t n = static_cast<uint16_t>(in.GetInt16());  // unsigned, as in PostgreSQL
  // Each count is checked against the bytes left before reserving for it.
  if (static_cast<size_t>(n) * 4 > in.Remaining()) throw ProtocolViolation("invalid message format");
  msg.param_type_oids.reserve(n);
  for (int i = 0; i < n; ++i) msg.param_type_oids.push_back(static_cast<uint32_t>(in.GetInt32()));
  in.ExpectEnd();
  return msg;
}

BindMessage BindMessage::Decode(const std::string& body) {
  ReadBuffer in(body);
  BindMessage msg;
  msg.portal = in.GetCString();
  msg.statement = in.GetCString();
  // Counts are unsigned 16-bit, as PostgreSQL reads them: up to 65,535.
  auto read_formats = [&in](std::vector<int16_t>& formats) {
    uint16_t n = static_cast<uint16_t>(in.GetInt16());
    if (static_cast<size_t>(n) * 2 > in.Remaining()) throw ProtocolViolation("invalid message format");
    formats.reserve(n);
    for (int i = 0; i < n; ++i) formats.push_back(in.GetInt16());
  };
  read_formats(msg.param_formats);
  uint16_t n = static_cast<uint16_t>(in.GetInt16());
  if (static_cast<size_t>(n) * 4 > in.Remaining()) throw ProtocolViolation("invalid message format");
  msg.params.reserve(n);
  for (int i = 0; i < n; ++i) {
    int32_t len = in.GetInt32();
    if (len == -1) {
      msg.params.emplace_back(std::nullopt);
      continue;
    }
    if (len < 0) throw ProtocolViolation("invalid message format");
    msg.params.emplace_back(std::string(in.GetBytes(static_cast<size_t>(len))));
  }
  read_formats(msg.result_formats);
  in.ExpectEnd();
  return msg;
}

DescribeMessage DescribeMessage::Decode(const std::string& body) {
  ReadBuffer in(body);
  DescribeMessage msg;
  msg.target = DecodeTarget(in, "DESCRIBE");
  msg.name = in.GetCString();
  in.ExpectEnd();
  return msg;
}

ExecuteMessage ExecuteMessage::Decode(const std::string& body) {
  ReadBuffer in(body);
  ExecuteMessage msg;
  msg.portal = in.GetCString();
  msg.max_rows = in.GetInt32();
  in.ExpectEnd();
  return msg;
}

CloseMessage CloseMessage::Decode(const std::string& body) {
  ReadBuffer in(body);
  CloseMessage msg;
  msg.target = DecodeTarget(in, "CLOSE");
  msg.name = in.GetCString();
  in.ExpectEnd();
  return msg;
}

}  // namespace tessera::wire
