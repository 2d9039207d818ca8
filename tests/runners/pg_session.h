// A libpq connection that runs one SQL string with a time limit.
//
// The server under test may hang or crash on a statement; a runner must then
// report a failure and go on, so every call waits with poll() and a deadline,
// cancels on timeout, and reconnects when the connection was lost.
#pragma once

#include <libpq-fe.h>

#include <optional>
#include <string>
#include <vector>

namespace tessera::slt {

struct QueryOutcome {
  bool ok = false;
  bool timed_out = false;
  std::string sqlstate;                                       // on error
  std::string message;                                        // on error
  std::vector<unsigned> column_types;                         // type OIDs
  std::vector<std::vector<std::optional<std::string>>> rows;  // NULL = nullopt
};

class PgSession {
 public:
  PgSession(std::string conninfo, int timeout_seconds);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // Runs sql (possibly several statements; the last result counts, the first error wins).
  QueryOutcome Run(const std::string& sql);

 private:
  bool EnsureConnected(std::string* error);
  bool WaitReadable();
  void Drop();

  std::string conninfo_;
  int timeout_seconds_;
  PGconn* conn_ = nullptr;
};

}  // namespace tessera::slt
