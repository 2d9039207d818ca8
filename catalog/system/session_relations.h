// pg_cursors, pg_prepared_statements and pg_settings show what one session
// holds (its cursors, its named statements, its settings), and
// pg_stat_activity what every session is doing as this one may see it,
// which no catalog snapshot has: the session
// planning a statement lends its rows to the generators for the length of
// the planning (ScopedSessionRows), on its own thread. Planning never waits,
// so no other session's fiber runs on the thread meanwhile.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/value.h"

namespace tessera::catalog::system {

class SessionRows {
 public:
  virtual ~SessionRows() = default;
  virtual std::vector<Row> Cursors() const = 0;             // pg_cursors
  virtual std::vector<Row> PreparedStatements() const = 0;  // pg_prepared_statements
  virtual std::vector<Row> Activity() const = 0;            // pg_stat_activity, as this session may see it
  virtual std::vector<Row> Settings() const = 0;            // pg_settings (pg_settings.cpp)
  // SELECT FROM a sequence: its one row (last_value, log_cnt, is_called);
  // nullopt where the session cannot read it without moving it (a cluster).
  virtual std::optional<Row> SequenceRow(const std::string& schema, const std::string& name) const = 0;
};

// A sequence's row from the rows lent (marking them read); nullopt when
// none are lent or the session cannot read it.
std::optional<Row> CurrentSequenceRow(const std::string& schema, const std::string& name);
// The rows lent to this thread's planning; null when none are (a statement
// planned outside a session: no rows).
const SessionRows* CurrentSessionRows();
// The rows lent, noting that the plan being made holds some (see below).
const SessionRows* ReadSessionRows();
// Whether a generator read them since the last call: a plan holding a
// session's rows must be made again to show them as they are then.
bool TakeSessionRowsRead();

class ScopedSessionRows {
 public:
  explicit ScopedSessionRows(const SessionRows* rows);
  ~ScopedSessionRows();
  ScopedSessionRows(const ScopedSessionRows&) = delete;
  ScopedSessionRows& operator=(const ScopedSessionRows&) = delete;

 private:
  const SessionRows* previous_;
};

}  // namespace tessera::catalog::system
