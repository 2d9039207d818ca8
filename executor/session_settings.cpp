// Session parameters with PostgreSQL 15's names, defaults and checks.
#include "executor/session_settings.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <stdexcept>

#include "common/error.h"
#include "common/memory_account.h"
#include "common/tls_status.h"

namespace tessera::executor {

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

SqlError BadValue(const std::string& name, const std::string& value) {
  return SqlError(sqlstate::kInvalidParameterValue,
                  "invalid value for parameter \"" + name + "\": \"" + value + "\"");
}

// PostgreSQL's parse_bool: on/off, true/false, yes/no, 1/0 and their
// unambiguous prefixes; shown as on/off.
std::string BooleanSetting(const std::string& name, const std::string& text) {
  std::string v = Lower(text);
  auto prefix_of = [&](const char* word, size_t min) { return v.size() >= min && std::string(word).rfind(v, 0) == 0; };
  if (v == "on" || prefix_of("true", 1) || prefix_of("yes", 1) || v == "1") return "on";
  if (prefix_of("off", 2) || prefix_of("false", 1) || prefix_of("no", 1) || v == "0") return "off";
  throw SqlError(sqlstate::kInvalidParameterValue, "parameter \"" + name + "\" requires a Boolean value");
}

std::string JoinValues(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + values[i];
  return out;
}

}  // namespace

SessionSettings::SessionSettings() {
  auto add = [&](const std::string& canonical, const std::string& value, bool reported, const std::string& description) {
    settings_[Lower(canonical)] = {canonical, value, value, reported, description};
  };
  add("application_name", "", true, "Sets the application name to be reported in statistics and logs.");
  add("client_encoding", "UTF8", true, "Sets the client's character set encoding.");
  add("DateStyle", "ISO, MDY", true, "Sets the display format for date and time values.");
  add("default_transaction_read_only", "off", true, "Sets the default read-only status of new transactions.");
  add("in_hot_standby", "off", true, "Shows whether hot standby is currently active.");
  add("integer_datetimes", "on", true, "Shows whether datetimes are integer based.");
  add("IntervalStyle", "postgres", true, "Sets the display format for interval values.");
  add("is_superuser", "on", true, "Shows whether the current user is a superuser.");
  add("server_encoding", "UTF8", true, "Shows the server (database) character set encoding.");
  add("server_version", "15.0", true, "Shows the server version.");
  add("server_version_num", "150000", false, "Shows the server version as an integer.");
  add("session_authorization", "tessera", true, "Sets the session user name.");
  add("role", "none", false, "Sets the current role.");
  add("standard_conforming_strings", "on", true, "Causes '...' strings to treat backslashes literally.");
  add("TimeZone", "UTC", true, "Sets the time zone for displaying and interpreting time stamps.");
  add("search_path", "\"$user\", public", false, "Sets the schema search order for names that are not schema-qualified.");
  add("extra_float_digits", "1", false, "Sets the number of digits displayed for floating-point values.");
  add("statement_timeout", "0", false, "Sets the maximum allowed duration of any statement.");
  add("lock_timeout", "0", false, "Sets the maximum allowed duration of any wait for a lock.");
  add("idle_in_transaction_session_timeout", "0", false, "Sets the maximum allowed idle time between queries, when in a transaction.");
  add("idle_session_timeout", "0", false, "Sets the maximum allowed idle time between queries, when not in a transaction.");
  add("transaction_isolation", "read committed", false, "Sets the current transaction's isolation level.");
  add("default_transaction_isolation", "read committed", false, "Sets the transaction isolation level of each new transaction.");
  add("transaction_read_only", "off", false, "Sets the current transaction's read-only status.");
  add("synchronous_commit", "on", false, "Sets the current transaction's synchronization level.");
  add("client_min_messages", "notice", false, "Sets the message levels that are sent to the client.");
  add("work_mem", "4MB", false, "Sets the maximum memory to be used for query workspaces.");
  add("tessera.statement_memory_limit", "0", false,
      "Sets the most memory one statement may use (0: half the server's --memory-limit; never above it).");
  add("max_parallel_workers_per_gather", "2", false, "Sets the maximum number of parallel processes per executor node.");
  add("bytea_output", "hex", false, "Sets the output format for bytea.");
  add("lc_messages", "C", false, "Sets the language in which messages are displayed.");
  add("lc_monetary", "C", false, "Sets the locale for formatting monetary amounts.");
  add("lc_numeric", "C", false, "Sets the locale for formatting numbers.");
  add("lc_time", "C", false, "Sets the locale for formatting date and time values.");
  add("row_security", "on", false, "Enable row security.");
  add("enable_seqscan", "on", false, "Enables the planner's use of sequential-scan plans.");
  add("jit", "off", false, "Allow JIT compilation.");
  add("max_connections", "100", false, "Sets the maximum number of concurrent connections.");
  add("max_identifier_length", "63", false, "Shows the maximum identifier length.");
  add("block_size", "8192", false, "Shows the size of a disk block.");
  add("ssl", TlsStatus::ServerTls() ? "on" : "off", false, "Enables SSL connections.");
  add("default_text_search_config", "pg_catalog.english", false, "Sets default text search configuration.");
  // Set by pg_dump and at the top of its scripts. Tessera has no
  // tablespaces, table access methods other than heap, function bodies or
  // xml values, so only the values that describe it are accepted (Normalise).
  add("synchronize_seqscans", "on", false, "Enable synchronized sequential scans.");
  add("check_function_bodies", "on", false, "Check routine bodies during CREATE FUNCTION and CREATE PROCEDURE.");
  add("xmloption", "content", false,
      "Sets whether XML data in implicit parsing and serialization operations is to be considered as documents or "
      "content fragments.");
  add("default_tablespace", "", false, "Sets the default tablespace to create tables and indexes in.");
  add("default_table_access_method", "heap", false, "Sets the default table access method for new tables.");
}

SessionSettings::Setting& SessionSettings::Find(const std::string& name) {
  auto it = settings_.find(Lower(name));
  if (it == settings_.end())
    throw SqlError(sqlstate::kUndefinedObject, "unrecognized configuration parameter \"" + name + "\"");
  return it->second;
}

const SessionSettings::Setting& SessionSettings::Find(const std::string& name) const {
  return const_cast<SessionSettings*>(this)->Find(name);
}

std::string SessionSettings::Normalise(Setting& s, const std::string& key, const std::vector<std::string>& values) {
  std::string joined = JoinValues(values);
  // The session's role is fixed at login until SET ROLE and SET SESSION
  // AUTHORIZATION change what current_user is (issue 13).
  if (key == "session_authorization")
    throw SqlError(sqlstate::kFeatureNotSupported, "SET SESSION AUTHORIZATION is not supported yet");
  if (key == "client_encoding") {
    std::string u = Upper(joined);
    u.erase(std::remove(u.begin(), u.end(), '-'), u.end());
    u.erase(std::remove(u.begin(), u.end(), '_'), u.end());
    if (u == "UTF8" || u == "UNICODE") return "UTF8";
    static const char* kKnown[] = {"SQLASCII", "LATIN1", "LATIN2", "LATIN9", "WIN1252", "WIN1251", "EUCJP", "SJIS",
                                   "BIG5", "GBK", "KOI8R", "ISO88591", "WIN1250", "EUCKR", "EUCCN", "GB18030"};
    for (auto* k : kKnown)
      if (u == k)
        throw SqlError(sqlstate::kFeatureNotSupported, "conversion between " + Upper(joined) + " and UTF8 is not supported");
    throw BadValue(s.canonical, joined);
  }
  if (key == "datestyle") {
    DateStyle style = format_.date_style;
    DateOrder order = format_.date_order;
    std::vector<std::string> parts;
    for (auto& v : values) {
      std::string part;
      for (char c : v + ",") {
        if (c == ',' || c == ' ') {
          if (!part.empty()) parts.push_back(Lower(part));
          part.clear();
        } else {
          part += c;
        }
      }
    }
    for (auto& p : parts) {
      if (p == "iso") style = DateStyle::kIso;
      else if (p == "postgres") style = DateStyle::kPostgres;
      else if (p == "sql") style = DateStyle::kSql;
      else if (p == "german") style = DateStyle::kGerman;
      else if (p == "mdy" || p == "us" || p == "noneuropean") order = DateOrder::kMdy;
      else if (p == "dmy" || p == "euro" || p == "european") order = DateOrder::kDmy;
      else if (p == "ymd") order = DateOrder::kYmd;
      else if (p == "default") continue;
      else throw BadValue("DateStyle", joined);
    }
    format_.date_style = style;
    format_.date_order = order;
    static const char* kStyle[] = {"ISO", "Postgres", "SQL", "German"};
    static const char* kOrder[] = {"MDY", "DMY", "YMD"};
    return std::string(kStyle[static_cast<int>(style)]) + ", " + kOrder[static_cast<int>(order)];
  }
  if (key == "timezone") {
    format_.time_zone = joined;
    return joined;
  }
  if (key == "extra_float_digits") {
    try {
      int v = std::stoi(joined);
      if (v < -15 || v > 3) throw SqlError(sqlstate::kInvalidParameterValue,
                                           std::to_string(v) + " is outside the valid range for parameter \"extra_float_digits\" (-15 .. 3)");
      format_.extra_float_digits = v;
      return std::to_string(v);
    } catch (const std::logic_error&) {
      throw SqlError(sqlstate::kInvalidParameterValue, "invalid value for parameter \"extra_float_digits\": \"" + joined + "\"");
    }
  }
  if (key == "transaction_isolation" || key == "default_transaction_isolation") {
    std::string v = Lower(joined);
    if (v != "read committed" && v != "repeatable read" && v != "serializable" && v != "read uncommitted")
      throw BadValue(s.canonical, joined);
    return v;
  }
  if (key == "synchronize_seqscans" || key == "check_function_bodies") return BooleanSetting(s.canonical, joined);
  if (key == "xmloption") {
    std::string v = Lower(joined);
    if (v != "content" && v != "document") throw BadValue(s.canonical, joined);
    return v;
  }
  if (key == "default_tablespace") {
    // '' is the database's default, the only one: Tessera has no
    // tablespaces (pg_tablespace is empty).
    if (joined.empty()) return joined;
    throw BadValue(s.canonical, joined).WithDetail("Tablespace \"" + joined + "\" does not exist.");
  }
  if (key == "default_table_access_method") {
    if (joined == "heap") return joined;
    throw BadValue(s.canonical, joined).WithDetail("Table access method \"" + joined + "\" does not exist.");
  }
  if (key == "standard_conforming_strings") {
    std::string v = Lower(joined);
    if (v == "on" || v == "true" || v == "1") return "on";
    if (v == "off" || v == "false" || v == "0")
      throw SqlError(sqlstate::kFeatureNotSupported, "standard_conforming_strings = off is not supported");
    throw SqlError(sqlstate::kInvalidParameterValue, "parameter \"standard_conforming_strings\" requires a Boolean value");
  }
  if (key == "server_version" || key == "server_encoding" || key == "integer_datetimes" || key == "in_hot_standby" ||
      key == "is_superuser" || key == "server_version_num" || key == "max_identifier_length" || key == "block_size" ||
      key == "max_connections")
    throw SqlError("55P02", "parameter \"" + s.canonical + "\" cannot be changed");
  // A server setting (--tls-cert), fixed for the process.
  if (key == "ssl") throw SqlError("55P02", "parameter \"" + s.canonical + "\" cannot be changed now");
  if (key == "statement_timeout" || key == "lock_timeout" || key == "idle_in_transaction_session_timeout" ||
      key == "idle_session_timeout") {
    if (joined.empty() || !(std::isdigit(static_cast<unsigned char>(joined[0])) || joined[0] == '-'))
      throw SqlError(sqlstate::kInvalidParameterValue,
                     "invalid value for parameter \"" + s.canonical + "\": \"" + joined + "\"");
    return joined;
  }
  if (key == "work_mem") {
    // PostgreSQL's range, in kB: 64kB up to 2147483647kB.
    int64_t bytes = ParseByteSize(joined);
    if (bytes < 0)
      throw SqlError(sqlstate::kInvalidParameterValue,
                     "invalid value for parameter \"" + s.canonical + "\": \"" + joined + "\"", "",
                     "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
    if (bytes < 64 * 1024 || bytes / 1024 > 2147483647)
      throw SqlError(sqlstate::kInvalidParameterValue, std::to_string(bytes / 1024) +
                                                           " kB is outside the valid range for parameter \"" +
                                                           s.canonical + "\" (64 .. 2147483647)");
    return joined;
  }
  if (key == "tessera.statement_memory_limit") {
    if (ParseByteSize(joined) < 0)
      throw SqlError(sqlstate::kInvalidParameterValue,
                     "invalid value for parameter \"" + s.canonical + "\": \"" + joined + "\"",
                     "", "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
    return joined;
  }
  return joined;
}

void SessionSettings::Assign(const std::string& key, Setting& s, std::string value) {
  if (s.value == value) return;
  s.value = std::move(value);
  if (s.reported) changed_.push_back(key);
}

void SessionSettings::Set(const std::string& name, const std::vector<std::string>& values) {
  std::string key = Lower(name);
  // A name with a dot that Tessera does not know is a placeholder, as in
  // PostgreSQL (an extension's or an application's: SET myapp.user = 'ann',
  // set_config('myapp.user', ...)): any text, '' until set. Only SET makes
  // one; SHOW and current_setting of one never set are 42704.
  if (key.find('.') != std::string::npos && !settings_.contains(key))
    settings_[key] = {key, "", "", false, "Placeholder (a name with a dot)."};
  Setting& s = Find(key);
  Assign(key, s, Normalise(s, key, values));
}

void SessionSettings::Reset(const std::string& name) {
  std::string key = Lower(name);
  if (key == "all") {
    for (auto& [k, s] : settings_)
      if (s.value != s.default_value) Set(k, {s.default_value});
    return;
  }
  Setting& s = Find(key);
  if (key == "server_version" || key == "server_encoding") return;
  Set(key, {s.default_value});
}

void SessionSettings::RestoreAll(const SessionSettings& saved) {
  for (auto& [key, s] : settings_) {
    auto it = saved.settings_.find(key);
    // A placeholder made since stays, empty again, as PostgreSQL's does.
    Assign(key, s, it != saved.settings_.end() ? it->second.value : s.default_value);
  }
  format_ = saved.format_;
}

bool SessionSettings::SameValues(const SessionSettings& other) const {
  if (settings_.size() != other.settings_.size()) return false;
  for (auto a = settings_.begin(), b = other.settings_.begin(); a != settings_.end(); ++a, ++b)
    if (a->first != b->first || a->second.value != b->second.value) return false;
  return true;
}

void SessionSettings::Restore(const SessionSettings& saved, const std::string& name) {
  std::string key = Lower(name);
  auto it = saved.settings_.find(key);
  if (it == saved.settings_.end()) {  // a placeholder made by this SET LOCAL: empty again
    if (settings_.contains(key)) Assign(key, Find(key), "");
    return;
  }
  if (Find(key).value == it->second.value) return;
  // is_superuser cannot be SET, but follows SET LOCAL ROLE back.
  if (key == "is_superuser") return Assign(key, Find(key), it->second.value);
  Set(key, {it->second.value});
}

int64_t SessionSettings::MillisecondsOf(const std::string& name) const {
  const std::string& v = settings_.at(name).value;
  size_t end = 0;
  int64_t n = 0;
  try {
    n = std::stoll(v, &end);
  } catch (const std::logic_error&) {
    return 0;
  }
  std::string unit = v.substr(end);
  unit.erase(0, unit.find_first_not_of(' '));
  if (unit == "s") return n * 1000;
  if (unit == "min") return n * 60000;
  if (unit == "h") return n * 3600000;
  if (unit == "us") return n / 1000;
  return n;
}

int64_t SessionSettings::BytesOf(const std::string& name) const {
  return std::max<int64_t>(0, ParseByteSize(settings_.at(name).value));
}

std::string SessionSettings::Show(const std::string& name) const { return Find(name).value; }
std::string SessionSettings::CanonicalName(const std::string& name) const { return Lower(Find(name).canonical); }

std::vector<std::vector<std::string>> SessionSettings::ShowAll() const {
  std::vector<std::vector<std::string>> rows;
  for (auto& [key, s] : settings_) rows.push_back({s.canonical, s.value, s.description});
  return rows;
}

std::vector<std::vector<std::string>> SessionSettings::ShowAllWithDefaults() const {
  std::vector<std::vector<std::string>> rows;
  for (auto& [key, s] : settings_) rows.push_back({s.canonical, s.value, s.description, s.default_value});
  return rows;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::Reported() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [key, s] : settings_)
    if (s.reported) out.emplace_back(s.canonical, s.value);
  return out;
}

std::vector<std::pair<std::string, std::string>> SessionSettings::TakeChanged() {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& key : changed_) out.emplace_back(settings_[key].canonical, settings_[key].value);
  changed_.clear();
  return out;
}

void SessionSettings::SetCurrentSuperuser(bool superuser) {
  Assign("is_superuser", Find("is_superuser"), superuser ? "on" : "off");
}

void SessionSettings::SetSessionUser(const std::string& user, bool superuser) {
  Setting& authorization = Find("session_authorization");
  authorization.value = authorization.default_value = user;
  Setting& is_superuser = Find("is_superuser");
  is_superuser.value = is_superuser.default_value = superuser ? "on" : "off";
}

}  // namespace tessera::executor
