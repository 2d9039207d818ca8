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

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/session_activity.h"
#include "common/tls_status.h"
#include "executor/session.h"
#include "wire/cancel_registry.h"
#include "wire/connection_slots.h"
#include "wire/copy_input.h"
#include "wire/framer.h"
#include "wire/hba.h"
#include "wire/output.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

struct HandlerOptions {
  FramerLimits limits;
  // ParameterStatus values sent when the session does not report them.
  std::string server_version = "15.0 (Tessera 0.1)";
  // max_connections; null: no limit (unit tests).
  ConnectionSlots* slots = nullptr;
  // A client must finish its startup within this (PostgreSQL's
  // authentication_timeout); 0: no limit.
  int authentication_timeout_ms = 60000;
  // Who may connect, how (--hba FILE); null: HbaRules::Default().
  std::shared_ptr<const HbaRules> hba;
};

class ScramExchange;

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
  // The session started (startup done), and its cancel key.
  bool Started() const { return started_; }
  BackendKey Key() const { return key_; }
  // How long the connection may now stay idle (Session::IdleTimeoutMs); 0: forever.
  int64_t IdleTimeoutMs() const;
  // The idle timeout ran out: FATAL 25P03 inside a transaction block
  // (its locks are released as the session ends), 57P05 outside one.
  void IdleTimeout();
  // Where COPY FROM STDIN reads the client's data while a statement runs
  // (the connection's inbox); without one, the rest of what Feed() got.
  void SetMessageSource(MessageSource* source) { source_ = source; }
  // The client's IP address (the Asio connection sets it): the rules of
  // HandlerOptions::hba choose the authentication by it. Without one (a
  // handler fed in-process, as the unit tests do) the client is trusted.
  // How pg_terminate_backend ends this session from elsewhere (the
  // connection shuts down as at a server shutdown: 57P01, then closed).
  void SetTerminate(std::function<void()> terminate) { terminate_ = std::move(terminate); }
  void SetClientAddress(std::string address, int port = 0) {
    client_address_ = std::move(address);
    client_port_ = port;
  }
  // The connection was upgraded to TLS (the Asio connection answered the
  // SSLRequest and finished the handshake): hba rules see it, `cert`
  // reads the client certificate, pg_stat_ssl shows it.
  void SetTls(TlsSessionInfo info) { tls_ = std::move(info); }
  // Any thread: cancels the statement running for this client (57014), as
  // when the connection is lost mid-statement. Nothing before startup.
  void CancelRunning() {
    if (int32_t pid = registered_pid_.load(); pid != 0) registry_.Cancel(pid, key_secret_.load());
  }

 private:
  struct PortalState {
    std::unique_ptr<Portal> portal;
    std::vector<int16_t> formats;  // one per result column
    std::string sql;               // its statement's text, for pg_stat_activity
  };

  void HandleStartup(const RawMessage& message);
  void StartSession(const std::vector<std::pair<std::string, std::string>>& parameters);
  // After authentication: the session starts, ParameterStatus, BackendKeyData, ReadyForQuery.
  void CompleteStartup();
  // Authentication (wire/authentication.cpp): the rule for this client
  // decides; trust completes the startup at once, password and SCRAM wait
  // for the client's PasswordMessage / SASL responses ('p').
  void BeginAuthentication();
  void HandleAuthentication(const RawMessage& message);
  void HandlePasswordMessage(const std::string& body);
  void HandleSaslMessage(const std::string& body);
  void FailAuthentication(const SqlError& error, const std::string& detail);
  // `cert`: the client certificate's CN must be the user name.
  void CheckCertificate();
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
  // key_ for CancelRunning() from another thread.
  std::atomic<int32_t> registered_pid_{0};
  std::atomic<int32_t> key_secret_{0};
  bool started_ = false;
  bool closed_ = false;
  bool holds_slot_ = false;
  bool skip_until_sync_ = false;
  std::map<std::string, PortalState> portals_;
  MessageSource* source_ = nullptr;
  std::string client_address_;
  int client_port_ = 0;
  std::function<void()> terminate_;
  TlsSessionInfo tls_;  // ssl false: plain TCP
  std::shared_ptr<ActivityRegistry::Entry> activity_;  // pg_stat_activity's row, once started
  // An SSLRequest / GSSENCRequest was answered 'N' on this connection.
  bool ssl_answered_ = false;
  bool gss_answered_ = false;
  std::map<std::string, std::string> startup_;  // the startup packet's parameters
  // While authenticating: the method, and the SCRAM exchange once begun.
  struct Authentication {
    AuthMethod method = AuthMethod::kTrust;
    int rule_line = 0;
    std::optional<std::string> verifier;  // the role's; nullopt: no such role
    std::unique_ptr<ScramExchange> scram;
  };
  std::unique_ptr<Authentication> auth_;
  CopyInput copy_input_{[this] { return source_ ? source_->NextMessage() : framer_.Next(); }};
};

}  // namespace tessera::wire
