// Messages the client sends, one struct each with Decode() from a framed
// body. Decode raises ProtocolViolation (08P01) for a body that does not
// match its declared layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tessera::wire {

// The first packet: a startup message, or one of the special requests.
struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancel };
  Kind kind = Kind::kStartup;
  int32_t protocol_version = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // kStartup, in order
  int32_t process_id = 0;   // kCancel
  int32_t secret_key = 0;   // kCancel
  static StartupPacket Decode(const std::string& body);
};

struct QueryMessage {  // 'Q'
  std::string sql;
  static QueryMessage Decode(const std::string& body);
};

struct ParseMessage {  // 'P'
  std::string statement;
  std::string sql;
  std::vector<uint32_t> param_type_oids;  // 0: infer
  static ParseMessage Decode(const std::string& body);
};

struct BindMessage {  // 'B'
  std::string portal;
  std::string statement;
  std::vector<int16_t> param_formats;
  std::vector<std::optional<std::string>> params;  // nullopt: NULL
  std::vector<int16_t> result_formats;
  static BindMessage Decode(const std::string& body);
};

struct DescribeMessage {  // 'D'
  char target = 'S';  // 'S' statement, 'P' portal
  std::string name;
  static DescribeMessage Decode(const std::string& body);
};

struct ExecuteMessage {  // 'E'
  std::string portal;
  int32_t max_rows = 0;  // 0: no limit
  static ExecuteMessage Decode(const std::string& body);
};

struct CloseMessage {  // 'C'
  char target = 'S';
  std::string name;
  static CloseMessage Decode(const std::string& body);
};

}  // namespace tessera::wire
