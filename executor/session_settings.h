// A session's configuration parameters (GUCs): SET, SHOW, RESET, the
// startup packet's options, and the GUC_REPORT ones wire/ sends as
// ParameterStatus. Names are case-insensitive; SHOW uses PostgreSQL's
// spelling ("DateStyle", "TimeZone").
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/value.h"

namespace tessera::executor {

class SessionSettings {
 public:
  SessionSettings();

  // Throws 42704 for an unknown name, 22023 for a bad value, 0A000 for an
  // encoding other than UTF8.
  void Set(const std::string& name, const std::vector<std::string>& values);
  void Reset(const std::string& name);  // "all" resets everything
  std::string Show(const std::string& name) const;
  // SHOW's column name for `name` (its canonical spelling).
  std::string CanonicalName(const std::string& name) const;
  // (name, setting, description) for SHOW ALL.
  std::vector<std::vector<std::string>> ShowAll() const;
  // (name, setting, description, default) for pg_settings.
  std::vector<std::vector<std::string>> ShowAllWithDefaults() const;

  // At login: session_authorization and is_superuser (read-only to SET).
  void SetSessionUser(const std::string& user, bool superuser);
  // SET ROLE: is_superuser follows the current role (reported to the client).
  void SetCurrentSuperuser(bool superuser);
  std::vector<std::pair<std::string, std::string>> Reported() const;
  std::vector<std::pair<std::string, std::string>> TakeChanged();
  const TextFormat& Format() const { return format_; }
  // statement_timeout in milliseconds (0: none).
  int64_t StatementTimeoutMs() const { return MillisecondsOf("statement_timeout"); }
  // A time setting (statement_timeout, lock_timeout) in milliseconds; a bare
  // number is milliseconds, as in PostgreSQL.
  int64_t MillisecondsOf(const std::string& name) const;
  // A memory setting (tessera.statement_memory_limit) in bytes; a bare
  // number is kilobytes, as for PostgreSQL's work_mem.
  int64_t BytesOf(const std::string& name) const;
  // Back to the values in `saved` (ROLLBACK of a block's SETs), all of them
  // or one (the end of a SET LOCAL); changed reported ones are re-announced.
  void RestoreAll(const SessionSettings& saved);
  void Restore(const SessionSettings& saved, const std::string& name);
  // Every setting has the same value in both (a savepoint can share the
  // previous one's copy instead of making its own).
  bool SameValues(const SessionSettings& other) const;

 private:
  struct Setting {
    std::string canonical;
    std::string value;
    std::string default_value;
    bool reported = false;
    std::string description;
  };
  Setting& Find(const std::string& name);
  const Setting& Find(const std::string& name) const;
  std::string Normalise(Setting& s, const std::string& key, const std::vector<std::string>& values);
  void Assign(const std::string& key, Setting& s, std::string value);

  std::map<std::string, Setting> settings_;  // key: lower-case name
  std::vector<std::string> changed_;
  TextFormat format_;
};

}  // namespace tessera::executor
