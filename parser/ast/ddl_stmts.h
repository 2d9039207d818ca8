// CREATE/DROP TABLE and INDEX, ALTER TABLE, TRUNCATE.
#pragma once

#include "parser/ast/dml_stmts.h"
#include "parser/ast/expr.h"
#include "parser/ast/select_stmt.h"
#include "parser/ast/statement.h"

namespace tessera::ast {

// One option of CREATE/ALTER SEQUENCE, by the word that starts it
// (lower-cased): "as", "increment", "minvalue", "maxvalue", "start",
// "restart", "cache", "cycle", "owned".
struct SequenceOption {
  std::string name;
  bool no = false;                    // NO MINVALUE / NO MAXVALUE / NO CYCLE
  bool has_value = false;             // a number was written
  std::string value;                  // the number, sign included
  TypeName type;                      // AS
  std::vector<std::string> owned_by;  // OWNED BY: the name's parts ({"none"} for NONE)
  int location = -1;
};

// REFERENCES t [(columns)] [MATCH ...] [ON DELETE/UPDATE action]
// [[NOT] DEFERRABLE] [INITIALLY ...], of a column or a FOREIGN KEY. Actions
// and match types by PostgreSQL's letters (pg_constraint.confdeltype,
// confmatchtype): a no action, r restrict, c cascade, n set null, d set
// default; s simple, f full, p partial.
struct ForeignKeyClause {
  QualifiedName table;
  std::vector<std::string> columns;  // empty: the referenced table's primary key
  char on_delete = 'a';
  char on_update = 'a';
  char match = 's';
  bool deferrable = false;
  bool initially_deferred = false;
  int location = -1;  // of the constraint
};

struct ColumnDef {
  std::string name;
  TypeName type;
  bool not_null = false;
  bool null_explicit = false;  // NULL written
  bool primary_key = false;
  bool unique = false;
  ExprPtr default_value;        // null when none
  std::string default_text;     // the default's source text, as written
  ExprPtr check;                // CHECK (...) on the column; null when none
  std::string check_text;       // its source text
  std::string check_name;       // CONSTRAINT name of the CHECK, empty when none
  int generated_location = -1;   // GENERATED ... AS IDENTITY / AS (expr) written (not supported yet)
  bool identity = false;         // the GENERATED clause is AS IDENTITY
  bool identity_always = false;  // GENERATED ALWAYS (not BY DEFAULT)
  std::vector<SequenceOption> identity_options;  // AS IDENTITY (options)
  std::unique_ptr<ForeignKeyClause> references;  // REFERENCES on the column
  std::string references_name;                   // its CONSTRAINT name, empty when none
  int location = -1;
};

enum class ConstraintKind : uint8_t { kPrimaryKey, kUnique, kCheck, kForeignKey };

struct TableConstraint {
  ConstraintKind kind;
  std::string name;  // CONSTRAINT name, empty when none
  std::vector<std::string> columns;
  ExprPtr check;
  std::string check_text;  // CHECK: the expression's source text
  std::unique_ptr<ForeignKeyClause> references;  // FOREIGN KEY: what `columns` reference
  int location = -1;
};

struct CreateTableStmt : Statement {
  CreateTableStmt() : Statement(StmtKind::kCreateTable) {}
  QualifiedName table;
  bool if_not_exists = false;
  bool temporary = false;
  // ON COMMIT: 'p' PRESERVE ROWS, 'd' DELETE ROWS, 'D' DROP; '\0' when not written.
  char on_commit = '\0';
  std::vector<ColumnDef> columns;
  std::vector<TableConstraint> constraints;
  std::vector<std::pair<std::string, std::string>> with_options;  // WITH (fillfactor=100): accepted
  // CREATE TABLE ... [(names)] AS query [WITH [NO] DATA]: the query, as the
  // INSERT INTO the new table that fills it (null for a plain CREATE TABLE),
  // and the names written, which rename the query's first columns.
  std::unique_ptr<InsertStmt> as_insert;
  std::vector<std::string> as_columns;
  bool with_data = true;
};

struct DropTableStmt : Statement {
  DropTableStmt() : Statement(StmtKind::kDropTable) {}
  std::vector<QualifiedName> tables;
  bool if_exists = false;
  bool cascade = false;
};

struct IndexColumn {
  std::string column;  // a plain column name; expressions are not supported yet
  bool descending = false;
};

struct CreateIndexStmt : Statement {
  CreateIndexStmt() : Statement(StmtKind::kCreateIndex) {}
  std::string name;  // empty: generated as PostgreSQL does (<table>_<cols>_idx)
  QualifiedName table;
  std::vector<IndexColumn> columns;
  bool unique = false;
  bool if_not_exists = false;
  std::string method;  // USING btree/hash: noted, btree is what runs
};

struct DropIndexStmt : Statement {
  DropIndexStmt() : Statement(StmtKind::kDropIndex) {}
  std::vector<QualifiedName> indexes;
  bool if_exists = false;
};

enum class AlterTableAction : uint8_t {
  kAddConstraint,
  kAddColumn,
  kDropColumn,
  kRenameTable,
  kRenameColumn,
  kDropConstraint,
  kAlterColumnType,      // ALTER COLUMN c [SET DATA] TYPE t [USING expr]
  kAlterColumnDefault,   // ALTER COLUMN c SET DEFAULT expr / DROP DEFAULT (empty default_text)
  kAlterColumnNotNull    // ALTER COLUMN c SET NOT NULL / DROP NOT NULL (column->not_null)
};

struct AlterTableStmt : Statement {
  AlterTableStmt() : Statement(StmtKind::kAlterTable) {}
  QualifiedName table;
  bool if_exists = false;
  AlterTableAction action = AlterTableAction::kAddConstraint;
  std::unique_ptr<TableConstraint> constraint;  // kAddConstraint (ADD PRIMARY KEY (...) included)
  std::unique_ptr<ColumnDef> column;            // kAddColumn; kAlterColumn*: type, default_text, not_null
  std::string old_name;                         // kDropColumn / kDropConstraint / kRename* / kAlterColumn*
  std::string using_text;                       // kAlterColumnType: USING expr (empty: the column itself)
  bool cascade = false;                         // kDropConstraint
  bool missing_ok = false;                      // kDropConstraint: IF EXISTS
  std::string new_name;                         // kRename*
};

// CREATE [OR REPLACE] VIEW name [(columns)] AS query. The flags of the forms
// not supported are kept so that the executor refuses them (0A000).
struct CreateViewStmt : Statement {
  CreateViewStmt() : Statement(StmtKind::kCreateView) {}
  QualifiedName view;
  bool or_replace = false;
  bool temporary = false;
  bool recursive = false;
  bool materialized = false;
  bool check_option = false;
  bool if_not_exists = false;
  bool with_options = false;
  std::vector<std::string> column_names;  // empty: the query's own names
  std::unique_ptr<SelectStmt> query;
  std::string query_text;  // the query as written
  int query_start = 0;     // its offset in the statement string (expression locations count from there too)
};

struct DropViewStmt : Statement {
  DropViewStmt() : Statement(StmtKind::kDropView) {}
  std::vector<QualifiedName> views;
  bool if_exists = false;
  bool cascade = false;
  bool materialized = false;
};

struct TruncateStmt : Statement {
  TruncateStmt() : Statement(StmtKind::kTruncate) {}
  std::vector<QualifiedName> tables;
  bool cascade = false;
};

// One option of CREATE/ALTER ROLE, by PostgreSQL's internal name:
// "password" (value; is_null for PASSWORD NULL), "validUntil",
// "connectionlimit", "sysid", "addroleto" (IN ROLE), "rolemembers" (ROLE,
// USER), "adminmembers" (ADMIN), or a flag ("superuser", "nosuperuser",
// "login", "createdb", ... as written, lower-cased; CREATEUSER is superuser).
struct RoleOption {
  std::string name;
  std::string value;
  bool is_null = false;
  int location = 0;
};

struct CreateRoleStmt : Statement {
  CreateRoleStmt() : Statement(StmtKind::kCreateRole) {}
  std::string kind = "ROLE";  // ROLE, USER (LOGIN by default) or GROUP, as written
  std::string name;
  std::vector<RoleOption> options;
};

struct AlterRoleStmt : Statement {
  AlterRoleStmt() : Statement(StmtKind::kAlterRole) {}
  std::string name;
  std::string new_name;  // RENAME TO; empty: an options change
  std::vector<RoleOption> options;
};

struct DropRoleStmt : Statement {
  DropRoleStmt() : Statement(StmtKind::kDropRole) {}
  std::vector<std::string> names;
  bool if_exists = false;
};

struct CreateSequenceStmt : Statement {
  CreateSequenceStmt() : Statement(StmtKind::kCreateSequence) {}
  QualifiedName sequence;
  bool if_not_exists = false;
  bool temporary = false;
  std::vector<SequenceOption> options;
};

struct AlterSequenceStmt : Statement {
  AlterSequenceStmt() : Statement(StmtKind::kAlterSequence) {}
  QualifiedName sequence;
  bool if_exists = false;
  std::string new_name;  // RENAME TO; empty: an options change
  std::vector<SequenceOption> options;
};

struct DropSequenceStmt : Statement {
  DropSequenceStmt() : Statement(StmtKind::kDropSequence) {}
  std::vector<QualifiedName> sequences;
  bool if_exists = false;
  bool cascade = false;
};

// COMMENT ON object name IS 'text' | NULL: the comment shown by
// pg_description, obj_description and psql's \d+ (empty or NULL removes it).
struct CommentStmt : Statement {
  CommentStmt() : Statement(StmtKind::kComment) {}
  enum class Object : uint8_t { kTable, kView, kColumn };
  Object object = Object::kTable;
  QualifiedName relation;  // the table or view (a column's: its table)
  std::string column;      // kColumn
  std::optional<std::string> comment;  // nullopt: IS NULL
};

}  // namespace tessera::ast
