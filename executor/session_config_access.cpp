#include "executor/session_config_access.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string SessionConfigAccess::SetConfig(const std::string& name, const std::optional<std::string>& value,
                                           bool is_local) {
  ast::SetStmt set;
  set.name = Lower(name);
  set.local = is_local;
  set.to_default = !value.has_value();  // set_config(name, NULL, ...) resets, as PostgreSQL's does
  if (value) set.values.push_back(*value);
  SqlSession& s = session_;
  // A local change outside a block lasts until the end of this statement's
  // own transaction: PostgreSQL checks it, returns the value and then
  // forgets it. Checking it on a copy does the same.
  if (is_local && !s.in_block_) {
    SessionSettings copy = s.settings_;
    if (set.to_default)
      copy.Reset(set.name);
    else
      copy.Set(set.name, set.values);
    return copy.Show(set.name);
  }
  if (set.name == "transaction_isolation") {
    // As SET TRANSACTION: only before the block's first query, which this
    // statement already is when a transaction has started.
    if (s.in_block_ && s.txn_)
      throw SqlError(sqlstate::kActiveSqlTransaction,
                     "SET TRANSACTION ISOLATION LEVEL must be called before any query");
    if (set.to_default)
      s.settings_.Reset(set.name);
    else
      s.settings_.Set(set.name, set.values);
    return s.settings_.Show(set.name);
  }
  s.ApplySet(set);
  return s.settings_.Show(set.name);
}

std::optional<std::string> SessionConfigAccess::CurrentSetting(const std::string& name, bool missing_ok) const {
  try {
    return session_.settings_.Show(name);
  } catch (const SqlError& e) {
    if (missing_ok && e.Sqlstate() == sqlstate::kUndefinedObject) return std::nullopt;
    throw;
  }
}

}  // namespace tessera::executor
