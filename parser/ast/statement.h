// Base of all parsed statements.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace tessera::ast {

enum class StmtKind : uint8_t {
  kSelect,
  kInsert,
  kUpdate,
  kDelete,
  kCreateTable,
  kDropTable,
  kCreateIndex,
  kDropIndex,
  kCreateView,
  kDropView,
  kAlterTable,
  kTruncate,
  kTransaction,
  kSet,
  kShow,
  kReset,
  kExplain,
  kVacuum,   // VACUUM and ANALYZE: accepted, no effect yet
  kCopy,
  kCreateRole,  // CREATE ROLE / USER / GROUP
  kAlterRole,
  kDropRole,
  kCreateSequence,
  kAlterSequence,
  kDropSequence,
  kGrant,       // GRANT / REVOKE privileges ON objects
  kGrantRole,   // GRANT / REVOKE role TO / FROM role
  kReassignOwned,  // REASSIGN OWNED BY ... TO
  kDropOwned,      // DROP OWNED BY
  kAlterOwner,  // ALTER TABLE | VIEW | SEQUENCE ... OWNER TO
  kPrepare,     // PREPARE name AS statement (utility_stmts.h)
  kExecute,     // EXECUTE name (args)
  kDeallocate,  // DEALLOCATE name | ALL
  kComment,     // COMMENT ON TABLE | VIEW | COLUMN name IS 'text' | NULL (ddl_stmts.h)
  kDeclareCursor,  // DECLARE name CURSOR FOR query (cursor_stmts.h)
  kFetch,          // FETCH or MOVE
  kCloseCursor,    // CLOSE name | ALL
  kDiscard,        // DISCARD ALL | PLANS | SEQUENCES | TEMP
  kLock,           // LOCK [TABLE] name, ... [IN mode MODE] [NOWAIT] (lock_stmt.h)
  kEmpty,    // ";" alone or a comment-only string
};

struct Statement {
  explicit Statement(StmtKind k) : kind(k) {}
  virtual ~Statement() = default;
  StmtKind kind;
  // Character range of this statement in the query string (0-based, end
  // exclusive), so a multi-statement string can be split for logging.
  int start = 0;
  int end = 0;

  template <class T>
  T& As() {
    return static_cast<T&>(*this);
  }
  template <class T>
  const T& As() const {
    return static_cast<const T&>(*this);
  }
};
using StatementPtr = std::unique_ptr<Statement>;

// schema.name, schema optional.
struct QualifiedName {
  std::string schema;  // empty when not written
  std::string name;
  int location = -1;
  std::string ToString() const { return schema.empty() ? name : schema + "." + name; }
};

}  // namespace tessera::ast
