// Messages the server sends, one struct each with Encode() appending the
// message (type, back-filled length, body) to a WriteBuffer. DataRow is
// written by the result serialiser directly, because it is the hot path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "executor/session.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

struct AuthenticationOk {  // 'R', code 0
  void Encode(WriteBuffer& out) const;
};

// The other AuthenticationRequest ('R') messages of password authentication:
// AuthenticationCleartextPassword (3), AuthenticationSASL (10, with the
// mechanisms), AuthenticationSASLContinue (11) and AuthenticationSASLFinal
// (12, with the SASL data).
struct AuthenticationRequest {
  int32_t code = 0;
  std::vector<std::string> mechanisms;  // code 10
  std::string data;                     // codes 11 and 12
  void Encode(WriteBuffer& out) const;
};

struct ParameterStatus {  // 'S'
  std::string name;
  std::string value;
  void Encode(WriteBuffer& out) const;
};

struct BackendKeyData {  // 'K'
  int32_t process_id = 0;
  int32_t secret_key = 0;
  void Encode(WriteBuffer& out) const;
};

struct NegotiateProtocolVersion {  // 'v'
  int32_t newest_minor = 0;
  std::vector<std::string> unrecognized_options;
  void Encode(WriteBuffer& out) const;
};

struct ReadyForQuery {  // 'Z'
  TxnStatus status = TxnStatus::kIdle;
  void Encode(WriteBuffer& out) const;
};

// ErrorResponse ('E') and NoticeResponse ('N') share their layout.
struct ErrorFields {
  std::string severity;  // ERROR, FATAL, NOTICE, WARNING
  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;
  int position = 0;
  std::string context;  // 'W'
  SqlError::ObjectFields object;  // 's' 't' 'c' 'd' 'n'
  static ErrorFields From(const SqlError& error, std::string severity);
  void Encode(WriteBuffer& out, char type) const;
};

struct RowDescription {  // 'T'
  const std::vector<ColumnDesc>* columns = nullptr;
  const std::vector<int16_t>* formats = nullptr;  // one per column, or empty for all text
  void Encode(WriteBuffer& out) const;
};

struct ParameterDescription {  // 't'
  std::vector<Type> types;
  void Encode(WriteBuffer& out) const;
};

struct CommandComplete {  // 'C'
  std::string tag;
  void Encode(WriteBuffer& out) const;
};

// Messages with an empty body: EmptyQueryResponse 'I', ParseComplete '1',
// BindComplete '2', CloseComplete '3', NoData 'n', PortalSuspended 's'.
void EncodeEmpty(WriteBuffer& out, char type);

// The single byte answering SSLRequest / GSSENCRequest: 'N', not supported.
inline void EncodeRefusal(WriteBuffer& out) { out.PutByte('N'); }

}  // namespace tessera::wire
