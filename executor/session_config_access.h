// set_config() and current_setting() over one SQL session's settings: the
// SettingsAccess (common/settings_access.h) the session lends its
// statements' function context. set_config changes a setting exactly as the
// SET or SET LOCAL statement would (the same checks, the same undo at
// ROLLBACK and at the end of the block); current_setting reads it as SHOW.
#pragma once

#include <optional>
#include <string>

#include "common/settings_access.h"

namespace tessera::executor {

class SqlSession;

class SessionConfigAccess final : public SettingsAccess {
 public:
  explicit SessionConfigAccess(SqlSession& session) : session_(session) {}
  std::string SetConfig(const std::string& name, const std::optional<std::string>& value, bool is_local) override;
  std::optional<std::string> CurrentSetting(const std::string& name, bool missing_ok) const override;

 private:
  SqlSession& session_;
};

}  // namespace tessera::executor
