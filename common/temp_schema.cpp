#include "common/temp_schema.h"

#include <charconv>

namespace tessera {

namespace {
thread_local const std::string* active_temp_schema = nullptr;
const std::string kNone;
}  // namespace

std::optional<int64_t> TempSchemaNumber(const std::string& schema) {
  const std::string prefix = kTempSchemaPrefix;
  if (schema.size() <= prefix.size() || schema.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  int64_t n = 0;
  const char* first = schema.data() + prefix.size();
  const char* last = schema.data() + schema.size();
  auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc() || end != last || n < 0) return std::nullopt;
  return n;
}

bool IsTempSchema(const std::string& schema) { return TempSchemaNumber(schema).has_value(); }

const std::string& ActiveTempSchema() { return active_temp_schema ? *active_temp_schema : kNone; }

const std::string* SetActiveTempSchema(const std::string* schema) {
  const std::string* previous = active_temp_schema;
  active_temp_schema = schema;
  return previous;
}

}  // namespace tessera
