// The protocol handler: one per client connection. It only reads and writes
// protocol messages; SQL is the Session's business. It is driven either by
// raw bytes (Feed, for tests) or by messages framed elsewhere (Handle, from
// the Asio connection, which frames on its I/O thread and calls Handle on a
// worker), and writes through an Output. Not thread-safe: the connection
// calls it from one worker at a time.
//
// Error rules (PostgreSQL's): a framing or format error, an unknown message
// type or a failed startup is FATAL and closes the connection; an SQL error
// is an ERROR, after which an extended-protocol batch is skipped up to Sync.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "executor/session.h"
#include "wire/cancel_registry.h"
#include "wire/copy_input.h"
#include "wire/framer.h"
#include "wire/output.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

struct HandlerOptions {
  FramerLimits limits;
  // ParameterStatus values sent when the session does not report them.
  std::string server_version = "15.0 (Tessera 0.1)";
};

class ProtocolHandler {
 public:
  ProtocolHandler(SessionFactory& factory, Output& output, CancelRegistry& registry, HandlerOptions options = {});
  ~ProtocolHandler();
  ProtocolHandler(const ProtocolHandler&) = delete;
  ProtocolHandler& operator=(const ProtocolHandler&) = delete;

  // Frames `bytes` and handles every complete message.
  void Feed(std::string_view bytes);
  // Handles one framed message.
  void Handle(const RawMessage& message);
  // The framer rejected the stream: FATAL 08P01, close.
  void FailFraming(const SqlError& error);
  // Server shutdown: FATAL 57P01, close.
  void AdminShutdown();
  bool Closed() const { return closed_; }
  // Where COPY FROM STDIN reads the client's data while a statement runs
  // (the connection's inbox); without one, the rest of what Feed() got.
  void SetMessageSource(MessageSource* source) { source_ = source; }

 private:
  struct PortalState {
    std::unique_ptr<Portal> portal;
    std::vector<int16_t> formats;  // one per result column
  };

  void HandleStartup(const RawMessage& message);
  void StartSession(const std::vector<std::pair<std::string, std::string>>& parameters);
  void HandleTyped(const RawMessage& message);
  void Dispatch(const RawMessage& message);
  void HandleQuery(const std::string& body);
  void HandleParse(const std::string& body);
  void HandleBind(const std::string& body);
  void HandleDescribe(const std::string& body);
  void HandleExecute(const std::string& body);
  void HandleClose(const std::string& body);
  void HandleSync();

  void ReportStatementError(const SqlError& error, bool extended);
  void SendError(const SqlError& error, const char* severity);
  void SendFatalAndClose(const SqlError& error);
  void SendChangedParameters();
  void SendReadyForQuery();
  void Flush();
  void CloseConnection();

  SessionFactory& factory_;
  Output& output_;
  CancelRegistry& registry_;
  HandlerOptions options_;
  Framer framer_;
  WriteBuffer out_;
  std::unique_ptr<Session> session_;
  BackendKey key_;
  bool started_ = false;
  bool closed_ = false;
  bool skip_until_sync_ = false;
  std::map<std::string, std::shared_ptr<PreparedStatement>> statements_;
  std::map<std::string, PortalState> portals_;
  MessageSource* source_ = nullptr;
  CopyInput copy_input_{[this] { return source_ ? source_->NextMessage() : framer_.Next(); }};
};

}  // namespace tessera::wire
