// Builders for client messages and a parser for server messages, shared by
// the wire tests.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wire/framer.h"
#include "wire/output.h"
#include "wire/wire_buffer.h"

namespace tessera::wire::testing {

inline std::string Startup(const std::vector<std::pair<std::string, std::string>>& params,
                           int32_t version = kProtocolVersion3) {
  WriteBuffer body;
  body.PutInt32(version);
  for (auto& [k, v] : params) {
    body.PutCString(k);
    body.PutCString(v);
  }
  body.PutByte(0);
  WriteBuffer out;
  out.PutInt32(static_cast<int32_t>(body.Size() + 4));
  out.PutBytes(body.Data());
  return out.Take();
}

inline std::string DefaultStartup() { return Startup({{"user", "alice"}, {"database", "db"}}); }

inline std::string SpecialRequest(int32_t code, std::vector<int32_t> extra = {}) {
  WriteBuffer out;
  out.PutInt32(static_cast<int32_t>(8 + 4 * extra.size()));
  out.PutInt32(code);
  for (int32_t v : extra) out.PutInt32(v);
  return out.Take();
}

inline std::string Typed(char type, const std::string& body) {
  WriteBuffer out;
  size_t at = out.Begin(type);
  out.PutBytes(body);
  out.End(at);
  return out.Take();
}

inline std::string Query(const std::string& sql) {
  WriteBuffer b;
  b.PutCString(sql);
  return Typed('Q', b.Data());
}

inline std::string Parse(const std::string& name, const std::string& sql, std::vector<int32_t> oids = {}) {
  WriteBuffer b;
  b.PutCString(name);
  b.PutCString(sql);
  b.PutInt16(static_cast<int16_t>(oids.size()));
  for (int32_t o : oids) b.PutInt32(o);
  return Typed('P', b.Data());
}

inline std::string Bind(const std::string& portal, const std::string& stmt, std::vector<int16_t> param_formats,
                        std::vector<std::optional<std::string>> params, std::vector<int16_t> result_formats) {
  WriteBuffer b;
  b.PutCString(portal);
  b.PutCString(stmt);
  b.PutInt16(static_cast<int16_t>(param_formats.size()));
  for (auto f : param_formats) b.PutInt16(f);
  b.PutInt16(static_cast<int16_t>(params.size()));
  for (auto& p : params) {
    if (!p) {
      b.PutInt32(-1);
    } else {
      b.PutInt32(static_cast<int32_t>(p->size()));
      b.PutBytes(*p);
    }
  }
  b.PutInt16(static_cast<int16_t>(result_formats.size()));
  for (auto f : result_formats) b.PutInt16(f);
  return Typed('B', b.Data());
}

inline std::string Describe(char target, const std::string& name) {
  WriteBuffer b;
  b.PutByte(static_cast<uint8_t>(target));
  b.PutCString(name);
  return Typed('D', b.Data());
}

inline std::string Execute(const std::string& portal, int32_t max_rows) {
  WriteBuffer b;
  b.PutCString(portal);
  b.PutInt32(max_rows);
  return Typed('E', b.Data());
}

inline std::string Sync() { return Typed('S', ""); }

struct BackendMessage {
  char type;
  std::string body;
  // Field `code` of an ErrorResponse/NoticeResponse.
  std::string Field(char code) const {
    ReadBuffer in(body);
    while (!in.AtEnd()) {
      char c = static_cast<char>(in.GetByte());
      if (c == 0) break;
      std::string v = in.GetCString();
      if (c == code) return v;
    }
    return "";
  }
};

// Splits server output into messages (a lone SSL refusal byte 'N' must be
// stripped by the caller first).
inline std::vector<BackendMessage> ParseBackend(const std::string& data) {
  std::vector<BackendMessage> out;
  size_t pos = 0;
  while (pos + 5 <= data.size()) {
    char type = data[pos];
    uint32_t len = static_cast<uint32_t>(ReadBuffer(std::string_view(data).substr(pos + 1, 4)).GetInt32());
    if (pos + 1 + len > data.size()) break;
    out.push_back(BackendMessage{type, data.substr(pos + 5, len - 4)});
    pos += 1 + len;
  }
  return out;
}

inline std::string Types(const std::vector<BackendMessage>& messages) {
  std::string s;
  for (auto& m : messages) s.push_back(m.type);
  return s;
}

class StringOutput final : public Output {
 public:
  void Send(std::string bytes) override {
    chunks.push_back(bytes.size());
    data += bytes;
  }
  void Close() override { closed = true; }
  // Messages written since the last call.
  std::vector<BackendMessage> Take() {
    auto messages = ParseBackend(data);
    data.clear();
    return messages;
  }
  std::string data;
  std::vector<size_t> chunks;
  bool closed = false;
};

}  // namespace tessera::wire::testing
