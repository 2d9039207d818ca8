// The one error type of the SQL pipeline: every failure carries a SQLSTATE
// from the moment it is raised, so wire/ can send it unchanged.
#pragma once

#include <exception>
#include <string>

namespace tessera {

namespace sqlstate {
inline constexpr const char* kSuccessfulCompletion = "00000";
inline constexpr const char* kWarning = "01000";
inline constexpr const char* kConnectionException = "08000";
inline constexpr const char* kProtocolViolation = "08P01";
inline constexpr const char* kFeatureNotSupported = "0A000";
inline constexpr const char* kCardinalityViolation = "21000";
inline constexpr const char* kDataException = "22000";
inline constexpr const char* kStringDataRightTruncation = "22001";
inline constexpr const char* kCharacterNotInRepertoire = "22021";
inline constexpr const char* kNumericValueOutOfRange = "22003";
inline constexpr const char* kInvalidDatetimeFormat = "22007";
inline constexpr const char* kDatetimeFieldOverflow = "22008";
inline constexpr const char* kDivisionByZero = "22012";
inline constexpr const char* kNullValueNotAllowed = "22004";
inline constexpr const char* kInvalidPrecedingOrFollowingSize = "22013";
inline constexpr const char* kInvalidArgumentForNtile = "22014";
inline constexpr const char* kInvalidArgumentForNthValue = "22016";
inline constexpr const char* kInvalidParameterValue = "22023";
inline constexpr const char* kInvalidTextRepresentation = "22P02";
inline constexpr const char* kInvalidBinaryRepresentation = "22P03";
inline constexpr const char* kNotNullViolation = "23502";
inline constexpr const char* kForeignKeyViolation = "23503";
inline constexpr const char* kUniqueViolation = "23505";
inline constexpr const char* kCheckViolation = "23514";
inline constexpr const char* kInvalidTransactionState = "25000";
inline constexpr const char* kActiveSqlTransaction = "25001";
inline constexpr const char* kNoActiveSqlTransaction = "25P01";
inline constexpr const char* kInFailedSqlTransaction = "25P02";
inline constexpr const char* kReadOnlySqlTransaction = "25006";
inline constexpr const char* kInvalidSqlStatementName = "26000";
inline constexpr const char* kInvalidCursorName = "34000";
inline constexpr const char* kInvalidSavepointSpecification = "3B001";
inline constexpr const char* kSerializationFailure = "40001";
inline constexpr const char* kDeadlockDetected = "40P01";
inline constexpr const char* kSyntaxError = "42601";
inline constexpr const char* kInsufficientPrivilege = "42501";
inline constexpr const char* kUndefinedColumn = "42703";
inline constexpr const char* kUndefinedFunction = "42883";
inline constexpr const char* kUndefinedTable = "42P01";
inline constexpr const char* kUndefinedParameter = "42P02";
inline constexpr const char* kUndefinedObject = "42704";
inline constexpr const char* kDuplicateColumn = "42701";
inline constexpr const char* kDuplicateTable = "42P07";
inline constexpr const char* kDuplicateObject = "42710";
inline constexpr const char* kDuplicatePreparedStatement = "42P05";
inline constexpr const char* kDuplicateCursor = "42P03";
inline constexpr const char* kInvalidCursorDefinition = "42P11";
inline constexpr const char* kAmbiguousColumn = "42702";
inline constexpr const char* kAmbiguousFunction = "42725";
inline constexpr const char* kDatatypeMismatch = "42804";
inline constexpr const char* kCannotCoerce = "42846";
inline constexpr const char* kGroupingError = "42803";
inline constexpr const char* kWindowingError = "42P20";
inline constexpr const char* kInvalidColumnReference = "42P10";
inline constexpr const char* kWrongObjectType = "42809";
inline constexpr const char* kIndeterminateDatatype = "42P18";
inline constexpr const char* kInvalidTableDefinition = "42P16";
inline constexpr const char* kInvalidObjectDefinition = "42P17";
inline constexpr const char* kDependentObjectsStillExist = "2BP01";
inline constexpr const char* kObjectNotInPrerequisiteState = "55000";
inline constexpr const char* kProgramLimitExceeded = "54000";
inline constexpr const char* kStatementTooComplex = "54001";
inline constexpr const char* kOutOfMemory = "53200";
inline constexpr const char* kQueryCanceled = "57014";
inline constexpr const char* kAdminShutdown = "57P01";
inline constexpr const char* kInternalError = "XX000";
inline constexpr const char* kDataCorrupted = "XX001";
}  // namespace sqlstate

class SqlError : public std::exception {
 public:
  SqlError(std::string sqlstate, std::string message, std::string detail = {}, std::string hint = {},
           int position = 0)
      : sqlstate_(std::move(sqlstate)),
        message_(std::move(message)),
        detail_(std::move(detail)),
        hint_(std::move(hint)),
        position_(position) {}

  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& Sqlstate() const { return sqlstate_; }
  const std::string& Message() const { return message_; }
  const std::string& Detail() const { return detail_; }
  const std::string& Hint() const { return hint_; }
  // 1-based character offset into the statement text; 0 when not known.
  int Position() const { return position_; }
  SqlError& WithPosition(int position) {
    position_ = position;
    return *this;
  }
  SqlError& WithDetail(std::string detail) {
    detail_ = std::move(detail);
    return *this;
  }
  // Where it happened ("COPY t, line 2"), sent as the CONTEXT field.
  const std::string& Context() const { return context_; }
  SqlError& WithContext(std::string context) {
    context_ = std::move(context);
    return *this;
  }

  // The object an integrity error is about, sent as ErrorResponse's schema,
  // table, column, data type and constraint fields ('s' 't' 'c' 'd' 'n'),
  // which drivers expose (psycopg's Diagnostics, pgjdbc's
  // ServerErrorMessage) and ORMs read to tell which constraint failed.
  // Set where PostgreSQL sets them: 23502 names the column, 23505, 23503
  // and 23514 the constraint, each with its table.
  struct ObjectFields {
    std::string schema, table, column, datatype, constraint;
  };
  const ObjectFields& Object() const { return object_; }
  SqlError& WithTable(std::string schema, std::string table) {
    object_.schema = std::move(schema);
    object_.table = std::move(table);
    return *this;
  }
  SqlError& WithColumn(std::string column) {
    object_.column = std::move(column);
    return *this;
  }
  SqlError& WithConstraint(std::string constraint) {
    object_.constraint = std::move(constraint);
    return *this;
  }
  SqlError& WithObject(ObjectFields object) {
    object_ = std::move(object);
    return *this;
  }

  // Named constructors, with PostgreSQL's wording.
  static SqlError Syntax(const std::string& near_token, int position);  // syntax error at or near "x"
  static SqlError UndefinedTable(const std::string& name);              // relation "x" does not exist
  static SqlError UndefinedColumn(const std::string& name);             // column "x" does not exist
  static SqlError UndefinedFunction(const std::string& signature);      // function x(integer) does not exist
  static SqlError DivisionByZero();                                     // division by zero
  static SqlError OutOfRange(const std::string& type_name);             // integer out of range
  static SqlError InvalidText(const std::string& type_name, const std::string& text);
  static SqlError NotNull(const std::string& column, const std::string& table);
  static SqlError UniqueViolation(const std::string& constraint, const std::string& detail);
  static SqlError FeatureNotSupported(const std::string& what);
  static SqlError Internal(const std::string& what);

 private:
  std::string sqlstate_;
  std::string message_;
  std::string detail_;
  std::string hint_;
  int position_ = 0;
  std::string context_;
  ObjectFields object_;
};

// Guards an invariant. Outside storage it becomes XX000 for that client.
#define TS_ASSERT(cond, what)                                                            \
  do {                                                                                   \
    if (!(cond)) throw ::tessera::SqlError::Internal(std::string("assertion failed: ") + \
                                                     (what) + " (" #cond ")");           \
  } while (0)

}  // namespace tessera
