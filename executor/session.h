// What wire/ needs from the SQL engine: one Session per client connection.
// wire/ only reads and writes protocol messages and converts values to wire
// formats; everything about SQL (parsing, planning, transactions, settings)
// is behind this interface. A Session is used by one thread at a time, except
// Cancel(), which any thread may call. Methods throw SqlError.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"
#include "common/value.h"

namespace tessera {

struct ColumnDesc {
  std::string name;
  uint32_t table_oid = 0;      // source table, 0 when computed
  int16_t column_number = 0;   // 1-based attribute number in that table, 0 when computed
  Type type;
};

// Transaction status as ReadyForQuery reports it.
enum class TxnStatus : char { kIdle = 'I', kInBlock = 'T', kFailed = 'E' };

// Receives one statement's results. For a simple query string with several
// statements, Columns/Row*/Complete repeat once per statement.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  // Called before the rows of a statement that returns rows (RowDescription).
  virtual void Columns(const std::vector<ColumnDesc>& columns) = 0;
  // Columns, for rows the client gets in binary: a simple-query FETCH from
  // a BINARY cursor (PostgreSQL's exec_simple_query). Sinks that are not a
  // client connection take them as any rows.
  virtual void BinaryColumns(const std::vector<ColumnDesc>& columns) { Columns(columns); }
  virtual void Row(const tessera::Row& row) = 0;
  // The statement finished; `tag` is the CommandComplete tag ("INSERT 0 3", "SELECT 2").
  virtual void Complete(const std::string& tag) = 0;
  // The statement text was empty (EmptyQueryResponse).
  virtual void EmptyQuery() = 0;
  // A NOTICE/WARNING for the client (severity "NOTICE" or "WARNING").
  virtual void Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) = 0;

  // COPY sub-protocol. Sinks that are not a client connection keep the
  // defaults, which refuse COPY to and from the client.
  // COPY FROM STDIN: CopyInBegin announces the copy (CopyInResponse) and
  // flushes; CopyInNext then blocks until the next CopyData payload
  // (true) or CopyDone (false). It throws 57014 on CopyFail and 08P01 when
  // the client breaks the protocol or disconnects.
  virtual void CopyInBegin(bool binary, size_t columns) {
    (void)binary, (void)columns;
    throw SqlError::FeatureNotSupported("COPY FROM STDIN is not possible here");
  }
  virtual bool CopyInNext(std::string& chunk) {
    (void)chunk;
    return false;
  }
  // COPY TO STDOUT: CopyOutResponse, CopyData per chunk, then CopyDone
  // (before Complete sends CommandComplete).
  virtual void CopyOutBegin(bool binary, size_t columns) {
    (void)binary, (void)columns;
    throw SqlError::FeatureNotSupported("COPY TO STDOUT is not possible here");
  }
  virtual void CopyOutData(std::string_view data) { (void)data; }
  virtual void CopyOutDone() {}
};

// Passes every call on to another sink; wrappers derive from it and
// override only what they change.
class ForwardingSink : public ResultSink {
 public:
  explicit ForwardingSink(ResultSink& inner) : inner_(inner) {}
  void Columns(const std::vector<ColumnDesc>& columns) override { inner_.Columns(columns); }
  void BinaryColumns(const std::vector<ColumnDesc>& columns) override { inner_.BinaryColumns(columns); }
  void Row(const tessera::Row& row) override { inner_.Row(row); }
  void Complete(const std::string& tag) override { inner_.Complete(tag); }
  void EmptyQuery() override { inner_.EmptyQuery(); }
  void Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) override {
    inner_.Notice(severity, sqlstate, message);
  }
  void CopyInBegin(bool binary, size_t columns) override { inner_.CopyInBegin(binary, columns); }
  bool CopyInNext(std::string& chunk) override { return inner_.CopyInNext(chunk); }
  void CopyOutBegin(bool binary, size_t columns) override { inner_.CopyOutBegin(binary, columns); }
  void CopyOutData(std::string_view data) override { inner_.CopyOutData(data); }
  void CopyOutDone() override { inner_.CopyOutDone(); }

 protected:
  ResultSink& inner_;
};

// A parsed statement of the extended protocol; immutable once prepared, so
// several portals may share it.
class PreparedStatement {
 public:
  virtual ~PreparedStatement() = default;
  // Parameter types: those the client gave, the rest inferred.
  virtual const std::vector<Type>& ParamTypes() const = 0;
  // Result columns; empty when the statement returns no rows (NoData).
  virtual const std::vector<ColumnDesc>& ResultColumns() const = 0;
  // The statement's text (pg_stat_activity shows it while a portal runs).
  virtual const std::string& Sql() const = 0;
};

class Portal {
 public:
  virtual ~Portal() = default;
  virtual const std::vector<ColumnDesc>& ResultColumns() const = 0;
  // Produces up to `max_rows` rows into `sink` (0: all). Returns true when the
  // statement completed (then sink.Complete was called), false when it was
  // suspended with rows left (PortalSuspended). Calls sink.Columns never:
  // the extended protocol describes separately.
  virtual bool Execute(size_t max_rows, ResultSink& sink) = 0;
};

class Session {
 public:
  virtual ~Session() = default;

  // Startup parameters (user, database, application_name, client_encoding,
  // DateStyle, TimeZone, options...). Throws SqlError for an unknown
  // database (3D000) or role (28000).
  virtual void Start(const std::map<std::string, std::string>& startup) = 0;
  // Every GUC_REPORT parameter with its value (sent as ParameterStatus at startup).
  virtual std::vector<std::pair<std::string, std::string>> ReportedParameters() const = 0;
  // Reported parameters changed since the last call (after SET, RESET, ...).
  virtual std::vector<std::pair<std::string, std::string>> TakeChangedParameters() = 0;
  // How values are written as text for this session (DateStyle, TimeZone, ...).
  virtual const TextFormat& Format() const = 0;

  // Simple query: parses and runs every statement in order, sending results
  // to `sink`; stops at the first error by throwing it.
  virtual void ExecuteSimple(const std::string& sql, ResultSink& sink) = 0;

  // Extended protocol.
  virtual std::shared_ptr<PreparedStatement> Prepare(const std::string& sql, const std::vector<Type>& param_types) = 0;
  virtual std::unique_ptr<Portal> Bind(std::shared_ptr<PreparedStatement> statement, std::vector<Value> params) = 0;
  // Sync: ends the implicit transaction of an extended-protocol batch.
  virtual void Sync() = 0;
  // After an error in the extended protocol (before the skip to Sync).
  virtual void OnError() = 0;

  virtual TxnStatus Status() const = 0;
  // How long the connection may stay idle in its present state before the
  // server ends it: idle_in_transaction_session_timeout inside a block,
  // idle_session_timeout outside one; 0 for no limit.
  virtual int64_t IdleTimeoutMs() const { return 0; }
  // Cancels the running statement (57014); thread-safe.
  virtual void Cancel() = 0;
  // The connection is gone: roll back whatever is open.
  virtual void Terminate() = 0;
  // The process id BackendKeyData gave this session (pg_backend_pid).
  virtual void SetBackendPid(int32_t pid) { (void)pid; }
  // The row shape of the SQL cursor (DECLARE) of that name, null if none:
  // Describe of a portal finds SQL cursors too, as PostgreSQL's does (psycopg 3
  // describes its server-side cursor right after DECLARE).
  virtual const std::vector<ColumnDesc>* CursorColumns(const std::string& name) const {
    (void)name;
    return nullptr;
  }

  // Named prepared statements, by name ("" is the unnamed one): the Parse
  // message's and SQL PREPARE's share one namespace, as in PostgreSQL, so
  // EXECUTE runs a driver's statement and DEALLOCATE ALL drops them too.
  using NamedStatements = std::map<std::string, std::shared_ptr<PreparedStatement>>;
  NamedStatements& Statements() { return statements_; }

 protected:
  NamedStatements statements_;
};

// Creates sessions; one per server process.
class SessionFactory {
 public:
  virtual ~SessionFactory() = default;
  virtual std::unique_ptr<Session> NewSession() = 0;
  // For password authentication (wire/authentication.cpp): the stored SCRAM
  // verifier of role `name` ("" when it has no password), nullopt when no
  // such role exists. Whether it may log in is Session::Start's check.
  virtual std::optional<std::string> RolePassword(const std::string& name) {
    (void)name;
    return std::nullopt;
  }
};

}  // namespace tessera
