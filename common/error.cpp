// SqlError's named constructors. The wording copies PostgreSQL 15 exactly,
// because clients and regression outputs compare message text.
#include "common/error.h"

namespace tessera {

SqlError SqlError::Syntax(const std::string& near_token, int position) {
  // PostgreSQL reports an empty token (end of the statement) specially.
  if (near_token.empty()) return SqlError(sqlstate::kSyntaxError, "syntax error at end of input", {}, {}, position);
  return SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + near_token + "\"", {}, {}, position);
}

SqlError SqlError::UndefinedTable(const std::string& name) {
  return SqlError(sqlstate::kUndefinedTable, "relation \"" + name + "\" does not exist");
}

SqlError SqlError::UndefinedColumn(const std::string& name) {
  return SqlError(sqlstate::kUndefinedColumn, "column \"" + name + "\" does not exist");
}

SqlError SqlError::UndefinedFunction(const std::string& signature) {
  return SqlError(sqlstate::kUndefinedFunction, "function " + signature + " does not exist", {},
                  "No function matches the given name and argument types. You might need to add explicit type "
                  "casts.");
}

SqlError SqlError::DivisionByZero() { return SqlError(sqlstate::kDivisionByZero, "division by zero"); }

SqlError SqlError::OutOfRange(const std::string& type_name) {
  return SqlError(sqlstate::kNumericValueOutOfRange, type_name + " out of range");
}

SqlError SqlError::InvalidText(const std::string& type_name, const std::string& text) {
  return SqlError(sqlstate::kInvalidTextRepresentation,
                  "invalid input syntax for type " + type_name + ": \"" + text + "\"");
}

SqlError SqlError::NotNull(const std::string& column, const std::string& table) {
  return SqlError(sqlstate::kNotNullViolation,
                  "null value in column \"" + column + "\" of relation \"" + table + "\" violates not-null constraint");
}

SqlError SqlError::UniqueViolation(const std::string& constraint, const std::string& detail) {
  return SqlError(sqlstate::kUniqueViolation, "duplicate key value violates unique constraint \"" + constraint + "\"",
                  detail);
}

SqlError SqlError::FeatureNotSupported(const std::string& what) {
  return SqlError(sqlstate::kFeatureNotSupported, what);
}

SqlError SqlError::Internal(const std::string& what) { return SqlError(sqlstate::kInternalError, what); }

}  // namespace tessera
