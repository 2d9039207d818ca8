// What set_config() and current_setting() may ask of the session's settings
// (GUCs). common/ cannot see executor/, so it declares the questions here and
// the SQL session answers them (executor/session_config_functions.cpp) as SET,
// SET LOCAL and SHOW would. Where no session is reachable (a fragment on a
// storage node) the function context has none and both functions fail with
// 0A000.
#pragma once

#include <optional>
#include <string>

namespace tessera {

class SettingsAccess {
 public:
  virtual ~SettingsAccess() = default;
  // set_config(name, value, is_local): as SET (SET LOCAL when `is_local`;
  // no value: RESET); returns the setting's new value as SHOW shows it.
  // Throws 42704 for an unknown name, 22023 for a bad value.
  virtual std::string SetConfig(const std::string& name, const std::optional<std::string>& value, bool is_local) = 0;
  // current_setting(name, missing_ok): SHOW's value; nullopt (NULL) for an
  // unknown name when `missing_ok`, else 42704.
  virtual std::optional<std::string> CurrentSetting(const std::string& name, bool missing_ok) const = 0;
};

}  // namespace tessera
