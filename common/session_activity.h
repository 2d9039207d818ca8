// What each session of this server process is doing, for pg_stat_activity:
// who it is, where it came from, and its state and current (or last) query.
// The wire front end (wire/protocol_handler.cpp) writes here as sessions
// start, run statements, wait for their client and end; the catalog reads
// (catalog/system/pg_stat_activity.cpp, through the session planning the
// query, which decides what a role may see). Process-wide, like
// PostgreSQL's view over one server's backends: a gateway shows its own
// sessions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

namespace tessera {

struct SessionActivity {
  int32_t pid = 0;  // BackendKeyData's process id
  std::string user, database, application_name;
  std::string client_address;  // empty when unknown
  int32_t client_port = 0;
  // Times in µs since 2000-01-01 UTC (datetime::CurrentTimestamp); 0: none.
  int64_t backend_start = 0, xact_start = 0, query_start = 0, state_change = 0;
  // "active", "idle", "idle in transaction" or "idle in transaction (aborted)".
  std::string state = "idle";
  std::string query;  // the running one while active, else the last one
};

class ActivityRegistry {
 public:
  // One session's entry; its owner updates it, readers copy it.
  class Entry {
   public:
    explicit Entry(SessionActivity start) : now_(std::move(start)) {}
    // A statement starts: the session is active, in a transaction from now
    // unless one is already open.
    void Started(const std::string& query);
    // The session waits for its client again, in the state given.
    void Waiting(const char* state, bool in_transaction);
    void SetApplicationName(const std::string& name);  // SET application_name
    // How pg_cancel_backend and pg_terminate_backend reach the session.
    void SetSignals(std::function<void()> cancel, std::function<void()> terminate);
    SessionActivity Copy() const;

   private:
    friend class ActivityRegistry;
    mutable std::mutex mutex_;  // the owner's and a reader's: never contended for long
    SessionActivity now_;
    std::function<void()> cancel_, terminate_;
  };

  // A session started (registered until the returned entry is released).
  static std::shared_ptr<Entry> Register(SessionActivity start);
  static void Unregister(int32_t pid);
  static std::vector<SessionActivity> Sessions();  // every registered session, by pid
  static std::optional<SessionActivity> Find(int32_t pid);
  // Cancels the session's running statement, or (terminate) that and then
  // ends the session; false when there is no such session.
  static bool Signal(int32_t pid, bool terminate);
};

}  // namespace tessera
