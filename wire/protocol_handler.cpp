#include "wire/protocol_handler.h"

#include "common/datetime.h"
#include "common/utf8.h"
#include <new>

#include "wire/backend_messages.h"
#include "wire/frontend_messages.h"
#include "wire/result_writer.h"
#include "wire/scram_exchange.h"

namespace tessera::wire {

ProtocolHandler::ProtocolHandler(SessionFactory& factory, Output& output, CancelRegistry& registry,
                                 HandlerOptions options)
    : factory_(factory), output_(output), registry_(registry), options_(std::move(options)), framer_(options_.limits) {}

ProtocolHandler::~ProtocolHandler() {
  if (key_.process_id != 0) {
    registry_.Unregister(key_.process_id);
    TlsStatus::Unregister(key_.process_id);
    ActivityRegistry::Unregister(key_.process_id);
  }
  if (holds_slot_) options_.slots->Release();
  if (session_ && !closed_) {
    try {
      session_->Terminate();
    } catch (...) {  // the connection is gone; nobody to tell
    }
  }
}

void ProtocolHandler::Feed(std::string_view bytes) {
  framer_.Append(bytes);
  while (!closed_) {
    std::optional<RawMessage> message;
    try {
      message = framer_.Next();
    } catch (const SqlError& error) {
      FailFraming(error);
      return;
    }
    if (!message) return;
    Handle(*message);
  }
}

void ProtocolHandler::Handle(const RawMessage& message) {
  if (closed_) return;
  if (auth_) {
    HandleAuthentication(message);
  } else if (message.type == RawMessage::kStartupType) {
    HandleStartup(message);
  } else {
    HandleTyped(message);
  }
}

void ProtocolHandler::FailFraming(const SqlError& error) { SendFatalAndClose(error); }

void ProtocolHandler::AdminShutdown() {
  if (closed_) return;
  SendFatalAndClose(SqlError(sqlstate::kAdminShutdown, "terminating connection due to administrator command"));
}

int64_t ProtocolHandler::IdleTimeoutMs() const {
  if (!started_ || closed_ || !session_) return 0;
  return session_->IdleTimeoutMs();
}

void ProtocolHandler::IdleTimeout() {
  if (!started_ || closed_ || !session_) return;
  if (session_->Status() == TxnStatus::kIdle) {
    SendFatalAndClose(SqlError("57P05", "terminating connection due to idle-session timeout"));
  } else {
    SendFatalAndClose(SqlError("25P03", "terminating connection due to idle-in-transaction timeout"));
  }
}

void ProtocolHandler::HandleStartup(const RawMessage& message) {
  StartupPacket packet;
  try {
    packet = StartupPacket::Decode(message.body);
  } catch (const SqlError& error) {
    SendFatalAndClose(error);
    return;
  }
  switch (packet.kind) {
    case StartupPacket::Kind::kSslRequest:
    case StartupPacket::Kind::kGssEncRequest: {
      // Once per connection, as PostgreSQL: a second request of the same
      // kind (after TLS was set up or refused) is not a protocol version
      // it speaks, and ends the connection.
      bool& answered = packet.kind == StartupPacket::Kind::kSslRequest ? ssl_answered_ : gss_answered_;
      if (answered || (packet.kind == StartupPacket::Kind::kSslRequest && tls_.ssl)) {
        auto code = static_cast<uint32_t>(packet.kind == StartupPacket::Kind::kSslRequest ? kSslRequestCode
                                                                                          : kGssEncRequestCode);
        SendFatalAndClose(SqlError(sqlstate::kFeatureNotSupported,
                                   "unsupported frontend protocol " + std::to_string(code >> 16) + "." +
                                       std::to_string(code & 0xffff) + ": server supports 3.0 to 3.0"));
        return;
      }
      answered = true;
      // GSSAPI encryption is not supported, and an SSLRequest reaches the
      // handler only when the server has no certificate (--tls-cert; the
      // connection answers it otherwise): 'N', the client continues in
      // plain text.
      EncodeRefusal(out_);
      Flush();
      return;
    }
    case StartupPacket::Kind::kCancel:
      registry_.Cancel(packet.process_id, packet.secret_key);
      CloseConnection();  // PostgreSQL answers a cancel request with nothing
      return;
    case StartupPacket::Kind::kStartup:
      break;
  }
  int major = packet.protocol_version >> 16;
  int minor = packet.protocol_version & 0xffff;
  if (major != 3) {
    SendFatalAndClose(SqlError(sqlstate::kFeatureNotSupported,
                               "unsupported frontend protocol " + std::to_string(major) + "." +
                                   std::to_string(minor) + ": server supports 3.0 to 3.0"));
    return;
  }
  // Options starting with _pq_. are protocol extensions we do not know;
  // like PostgreSQL, name them in NegotiateProtocolVersion.
  std::vector<std::pair<std::string, std::string>> parameters;
  NegotiateProtocolVersion negotiate;
  for (auto& [name, value] : packet.parameters) {
    if (name.starts_with("_pq_.")) {
      negotiate.unrecognized_options.push_back(name);
    } else {
      parameters.emplace_back(name, value);
    }
  }
  if (minor > 0 || !negotiate.unrecognized_options.empty()) negotiate.Encode(out_);
  StartSession(parameters);
}

void ProtocolHandler::StartSession(const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::map<std::string, std::string> startup(parameters.begin(), parameters.end());
  if (startup["user"].empty()) {
    SendFatalAndClose(SqlError("28000", "no PostgreSQL user name specified in startup packet"));
    return;
  }
  if (startup["database"].empty()) startup["database"] = startup["user"];
  startup_ = std::move(startup);
  BeginAuthentication();
}

void ProtocolHandler::CompleteStartup() {
  std::map<std::string, std::string>& startup = startup_;
  try {
    if (options_.slots != nullptr) {
      options_.slots->Acquire(startup["user"]);
      holds_slot_ = true;
    }
    session_ = factory_.NewSession();
    session_->Start(startup);
  } catch (const SqlError& error) {
    SendFatalAndClose(error);
    return;
  } catch (const std::exception& error) {
    SendFatalAndClose(SqlError::Internal(error.what()));
    return;
  }
  AuthenticationOk{}.Encode(out_);
  // Defaults first, so that the session's own values win.
  std::map<std::string, std::string> reported = {
      {"server_version", options_.server_version},
      {"server_encoding", "UTF8"},
      {"client_encoding", startup.count("client_encoding") ? startup["client_encoding"] : "UTF8"},
      {"DateStyle", "ISO, MDY"},
      {"TimeZone", "UTC"},
      {"integer_datetimes", "on"},
      {"standard_conforming_strings", "on"},
      {"application_name", startup["application_name"]},
      {"is_superuser", "on"},
      {"session_authorization", startup["user"]},
      {"IntervalStyle", "postgres"},
      {"default_transaction_read_only", "off"},
      {"in_hot_standby", "off"},
  };
  for (auto& [name, value] : session_->ReportedParameters()) reported[name] = value;
  session_->TakeChangedParameters();  // already reported in full
  for (auto& [name, value] : reported) ParameterStatus{name, value}.Encode(out_);
  key_ = registry_.Register(session_.get());
  key_secret_.store(key_.secret_key);
  registered_pid_.store(key_.process_id);
  TlsStatus::Register(key_.process_id, tls_);
  SessionActivity start;
  start.pid = key_.process_id;
  start.user = startup["user"];
  start.database = startup["database"];
  start.application_name = reported["application_name"];
  start.client_address = client_address_;
  start.client_port = client_port_;
  start.backend_start = start.state_change = datetime::CurrentTimestamp();
  activity_ = ActivityRegistry::Register(std::move(start));
  {
    CancelRegistry* registry = &registry_;  // outlives every session
    const int32_t pid = key_.process_id, secret = key_.secret_key;
    std::function<void()> terminate = terminate_;
    activity_->SetSignals([registry, pid, secret] { registry->Cancel(pid, secret); },
                          [registry, pid, secret, terminate] {
                            registry->Cancel(pid, secret);
                            if (terminate) terminate();
                          });
  }
  session_->SetBackendPid(key_.process_id);
  BackendKeyData{key_.process_id, key_.secret_key}.Encode(out_);
  started_ = true;
  SendReadyForQuery();
}

void ProtocolHandler::HandleTyped(const RawMessage& message) {
  // After an error in an extended-protocol batch everything up to Sync is
  // dropped, so the client's pipelined messages do not run half a batch.
  if (skip_until_sync_ && message.type != 'S' && message.type != 'X') {
    if (message.type == 'H') Flush();
    return;
  }
  bool extended = message.type != 'Q';
  try {
    Dispatch(message);
  } catch (const ProtocolViolation& error) {
    SendFatalAndClose(error);
  } catch (const SqlError& error) {
    ReportStatementError(error, extended);
  } catch (const std::bad_alloc&) {
    // The allocator failed outside the statement's accounting (parsing a
    // huge statement, say): 53200 as PostgreSQL answers, not XX000.
    ReportStatementError(SqlError(sqlstate::kOutOfMemory, "out of memory"), extended);
  } catch (const std::exception& error) {
    // A bug below us (not an SqlError) costs the statement, not the connection.
    ReportStatementError(SqlError::Internal(error.what()), extended);
  }
}

void ProtocolHandler::ReportStatementError(const SqlError& error, bool extended) {
  SendError(error, "ERROR");
  if (!extended) {
    SendChangedParameters();  // a SET may have run before the failing statement
    SendReadyForQuery();
    return;
  }
  try {
    session_->OnError();
  } catch (const SqlError& nested) {
    SendError(nested, "ERROR");
  }
  skip_until_sync_ = true;
  // PostgreSQL sends an error at once: a client that sent Flush (or
  // nothing) after its batch waits for it before sending Sync.
  Flush();
}

void ProtocolHandler::Dispatch(const RawMessage& message) {
  switch (message.type) {
    case 'Q': HandleQuery(message.body); return;
    case 'P': HandleParse(message.body); return;
    case 'B': HandleBind(message.body); return;
    case 'D': HandleDescribe(message.body); return;
    case 'E': HandleExecute(message.body); return;
    case 'C': HandleClose(message.body); return;
    case 'S': HandleSync(); return;
    case 'H': Flush(); return;
    case 'X':
      session_->Terminate();
      CloseConnection();
      return;
    case 'd':
    case 'c':
    case 'f':
      return;  // COPY messages outside COPY are ignored, as the protocol says
    case 'F': throw SqlError(sqlstate::kFeatureNotSupported, "function call messages are not supported");
    default:
      throw ProtocolViolation("invalid frontend message type " + std::to_string(static_cast<int>(message.type)));
  }
}

void ProtocolHandler::HandleQuery(const std::string& body) {
  QueryMessage query = QueryMessage::Decode(body);
  utf8::Check(query.sql);
  // The unnamed statement and portal do not survive a simple query.
  session_->Statements().erase("");
  portals_.erase("");
  ResultWriter writer(out_, session_->Format(), {}, [this] { Flush(); }, &copy_input_);
  activity_->Started(query.sql);
  session_->ExecuteSimple(query.sql, writer);
  // A COMMIT or ROLLBACK ends the transaction that named portals belong to.
  if (session_->Status() == TxnStatus::kIdle) portals_.clear();
  SendChangedParameters();
  SendReadyForQuery();
}

void ProtocolHandler::SendError(const SqlError& error, const char* severity) {
  ErrorFields::From(error, severity).Encode(out_, 'E');
}

void ProtocolHandler::SendFatalAndClose(const SqlError& error) {
  SendError(error, "FATAL");
  if (session_) {
    try {
      session_->Terminate();
    } catch (...) {  // closing anyway
    }
  }
  CloseConnection();
}

void ProtocolHandler::SendChangedParameters() {
  for (auto& [name, value] : session_->TakeChangedParameters()) {
    if (name == "application_name" && activity_) activity_->SetApplicationName(value);
    ParameterStatus{name, value}.Encode(out_);
  }
}

void ProtocolHandler::SendReadyForQuery() {
  const TxnStatus status = session_ ? session_->Status() : TxnStatus::kIdle;
  if (activity_) {
    activity_->Waiting(status == TxnStatus::kIdle          ? "idle"
                       : status == TxnStatus::kInBlock ? "idle in transaction"
                                                             : "idle in transaction (aborted)",
                       status != TxnStatus::kIdle);
  }
  ReadyForQuery{status}.Encode(out_);
  Flush();
}

void ProtocolHandler::Flush() {
  if (!out_.Empty()) output_.Send(out_.Take());
}

void ProtocolHandler::CloseConnection() {
  Flush();
  closed_ = true;
  output_.Close();
}

}  // namespace tessera::wire
