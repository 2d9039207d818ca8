#include "tests/runners/pg_session.h"

#include <poll.h>

#include <chrono>

namespace tessera::slt {
namespace {

void Fill(PGresult* res, QueryOutcome* out) {
  out->column_types.clear();
  out->rows.clear();
  int ncols = PQnfields(res);
  for (int c = 0; c < ncols; ++c) out->column_types.push_back(PQftype(res, c));
  for (int r = 0; r < PQntuples(res); ++r) {
    std::vector<std::optional<std::string>> row;
    for (int c = 0; c < ncols; ++c) {
      if (PQgetisnull(res, r, c))
        row.emplace_back(std::nullopt);
      else
        row.emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
    }
    out->rows.push_back(std::move(row));
  }
}

void SetError(PGresult* res, QueryOutcome* out) {
  const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  out->ok = false;
  out->sqlstate = state ? state : "";
  out->message = primary ? primary : PQresultErrorMessage(res);
  // The DETAIL follows, so an expected error text can pin it too.
  if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL)) out->message += std::string("\nDETAIL:  ") + detail;
}

}  // namespace

PgSession::PgSession(std::string conninfo, int timeout_seconds)
    : conninfo_(std::move(conninfo)), timeout_seconds_(timeout_seconds) {}

PgSession::~PgSession() { Drop(); }

void PgSession::Drop() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
}

bool PgSession::EnsureConnected(std::string* error) {
  if (conn_ && PQstatus(conn_) == CONNECTION_OK) return true;
  Drop();
  std::string info = conninfo_ + " connect_timeout=" + std::to_string(timeout_seconds_);
  conn_ = PQconnectdb(info.c_str());
  if (PQstatus(conn_) == CONNECTION_OK) {
    // NOTICEs (e.g. "table does not exist, skipping") are not results; keep them off stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    return true;
  }
  *error = PQerrorMessage(conn_);
  Drop();
  return false;
}

bool PgSession::WaitReadable() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds_);
  while (PQisBusy(conn_)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(left.count()));
    if (rc < 0) return false;
    if (rc > 0 && !PQconsumeInput(conn_)) return true;  // broken: PQgetResult reports it
  }
  return true;
}

QueryOutcome PgSession::Run(const std::string& sql) {
  QueryOutcome out;
  std::string error;
  if (!EnsureConnected(&error)) {
    out.sqlstate = "08006";
    out.message = "cannot connect: " + error;
    return out;
  }
  if (!PQsendQuery(conn_, sql.c_str())) {
    out.sqlstate = "08006";
    out.message = PQerrorMessage(conn_);
    Drop();
    return out;
  }
  bool have_error = false;
  bool have_result = false;
  while (true) {
    if (!WaitReadable()) {
      // Timed out: ask the server to stop, and since the connection's state is
      // unknown, start afresh next time.
      if (PGcancel* cancel = PQgetCancel(conn_)) {
        char errbuf[256];
        PQcancel(cancel, errbuf, sizeof errbuf);
        PQfreeCancel(cancel);
      }
      out.ok = false;
      out.timed_out = true;
      out.sqlstate = "57014";
      out.message = "timed out after " + std::to_string(timeout_seconds_) + " s";
      Drop();
      return out;
    }
    PGresult* res = PQgetResult(conn_);
    if (!res) break;
    ExecStatusType status = PQresultStatus(res);
    if (status == PGRES_FATAL_ERROR && !have_error) {
      SetError(res, &out);
      have_error = true;
    } else if (!have_error &&
               (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY)) {
      Fill(res, &out);
      have_result = true;
    } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      PQclear(res);
      out.ok = false;
      out.message = "COPY is not supported by this runner";
      Drop();
      return out;
    }
    PQclear(res);
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    if (!have_error) {
      out.sqlstate = "08006";
      out.message = "connection lost";
      have_error = true;
    }
    Drop();
  }
  out.ok = !have_error && have_result;
  if (!have_error && !have_result) out.message = "no result";
  return out;
}

}  // namespace tessera::slt
