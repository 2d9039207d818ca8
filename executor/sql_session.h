// The SQL session behind wire/: statements, transactions (autocommit,
// BEGIN...COMMIT blocks, the extended protocol's implicit transaction until
// Sync, the failed-block state), settings and prepared plans.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/system/snapshot_catalog_view.h"
#include "executor/ddl_block_catalog.h"
#include "executor/backend.h"
#include "executor/foreign_keys.h"
#include "executor/fragment_runner.h"
#include "executor/physical_operator.h"
#include "executor/session_config_access.h"
#include "executor/session_settings.h"
#include "executor/sql_cursor.h"
#include "executor/subplan_runner.h"
#include "parser/parser.h"
#include "planner/planner.h"

namespace tessera::executor {

class SqlSession;

// A statement prepared once: DML is planned here (and re-planned when the
// catalog version moves); utility statements run when executed.
// What a kept statement's tree and plan take per token of its text, about:
// the resident size grew by 345 bytes per token for 2,000 prepared
// 1,000-token statements; rounded up.
inline constexpr int64_t kKeptBytesPerToken = 384;

class SqlPrepared final : public PreparedStatement {
 public:
  const std::vector<Type>& ParamTypes() const override { return param_types_; }
  const std::vector<ColumnDesc>& ResultColumns() const override { return columns_; }
  const std::string& Sql() const override { return sql_; }

  std::string sql_;
  ast::StatementPtr stmt_;  // null for an empty query
  std::vector<Type> given_types_;
  std::vector<Type> param_types_;
  std::vector<ColumnDesc> columns_;
  std::shared_ptr<const planner::PlannedQuery> plan_;  // DML only
  uint64_t catalog_version_ = 0;
  std::string planned_for_;  // current_user when planned: SET ROLE plans (and checks) again
  // What the statement's tree and plan hold while it is kept, taken from
  // the server's pool (PostgreSQL's CachedPlanSource): a client preparing
  // statement after big statement gets 53200 instead of taking the server
  // past --memory-limit. Estimated per token of its text (kKeptBytesPerToken).
  std::unique_ptr<PoolReservation> memory_;
  // pg_prepared_statements: when, and for SQL PREPARE its own text (a
  // Parse message's statement shows its query).
  int64_t prepare_time_ = 0;
  bool from_sql_ = false;
  std::string prepare_text_;
  // Its plan holds a session's rows (pg_cursors, pg_prepared_statements):
  // planned again at every use, so they are current.
  bool reads_session_rows_ = false;
};

class SqlPortal final : public Portal {
 public:
  SqlPortal(SqlSession& session, std::shared_ptr<SqlPrepared> prepared, std::vector<Value> params);
  // A portal that holds a lot of memory (a sort or hash table cut short by
  // an error or a cancel) frees it in the background (background_free.h).
  ~SqlPortal() override;
  const std::vector<ColumnDesc>& ResultColumns() const override { return prepared_->columns_; }
  bool Execute(size_t max_rows, ResultSink& sink) override;
  // A cursor's portal (sql_cursor.h) starts at DECLARE and takes its first
  // batch there: a fragment reads all its rows at its first Next
  // (PhysicalFragmentScan), so the query reads DECLARE's snapshot, not the
  // writes after it. A data error (class 22) of that first batch waits for
  // the first FETCH, where PostgreSQL reports it.
  void StartForCursor();
  // Each FETCH is a statement of its own: statement_timeout counts from it,
  // not from DECLARE.
  void RestartDeadline();

 private:
  friend class SqlSession;
  void Start();
  void RunSubqueries();
  FragmentStats* stats_ = nullptr;  // EXPLAIN ANALYZE
  SqlSession& session_;
  std::shared_ptr<SqlPrepared> prepared_;
  std::shared_ptr<const planner::PlannedQuery> plan_;
  // The statement's memory; declared before everything that charges it, so
  // it is destroyed after them (and then returns it all to the server).
  std::unique_ptr<MemoryAccount> memory_;
  std::unique_ptr<ExecContext> ctx_;
  // Correlated subqueries' runs and their cache (charged to memory_: reset
  // first when the portal goes).
  std::unique_ptr<SubPlanRunner> subplans_;
  std::unique_ptr<FragmentExecutor> fragments_;
  std::unique_ptr<ForeignKeyChecker> foreign_keys_;
  PhysicalRef root_;
  Batch pending_;
  size_t pending_pos_ = 0;
  int64_t rows_ = 0;
  uint64_t txn_generation_ = 0;
  bool started_ = false;
  bool finished_ = false;
  // A cursor's: its fragments get no deadline of their own (they outlive
  // the DECLARE), the FETCH's is checked here between batches.
  bool cursor_ = false;
  bool root_done_ = false;                // the first batch (StartForCursor) was the last
  std::optional<SqlError> deferred_;      // its data error, for the first FETCH
};

class SqlSession final : public Session {
 public:
  explicit SqlSession(Backend& db) : db_(db) {}
  ~SqlSession() override;

  void Start(const std::map<std::string, std::string>& startup) override;
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override;
  std::vector<std::pair<std::string, std::string>> TakeChangedParameters() override;
  const TextFormat& Format() const override { return settings_.Format(); }
  void ExecuteSimple(const std::string& sql, ResultSink& sink) override;
  std::shared_ptr<PreparedStatement> Prepare(const std::string& sql, const std::vector<Type>& param_types) override;
  std::unique_ptr<Portal> Bind(std::shared_ptr<PreparedStatement> statement, std::vector<Value> params) override;
  void Sync() override;
  void OnError() override;
  TxnStatus Status() const override;
  int64_t IdleTimeoutMs() const override;
  void Cancel() override;
  void Terminate() override;
  void SetBackendPid(int32_t pid) override { backend_pid_ = pid; }
  const std::vector<ColumnDesc>* CursorColumns(const std::string& name) const override;

 private:
  friend class SqlPortal;
  friend class SessionConfigAccess;
  // Runs one statement with autocommit unless a block or implicit transaction is open.
  void RunStatement(const ast::Statement& stmt, const std::string& sql, ResultSink& sink, bool describe_columns);
  void RunUtility(const ast::Statement& stmt, ResultSink& sink, bool describe_columns);
  void RunTransaction(const ast::TransactionStmt& stmt, ResultSink& sink);
  // SAVEPOINT, RELEASE and ROLLBACK TO (session_savepoints.cpp).
  void RunSavepointStmt(const ast::TransactionStmt& stmt, ResultSink& sink);
  // The newest savepoint of that name (3B001 if none).
  size_t FindSavepoint(const std::string& name) const;
  void RunExplain(const ast::ExplainStmt& stmt, ResultSink& sink, bool describe_columns);
  void RunShow(const ast::ShowStmt& stmt, ResultSink& sink, bool describe_columns);
  void RunCopy(const ast::CopyStmt& stmt, ResultSink& sink);  // executor/copy_session.cpp
  // `query_columns`, `skipped`: CREATE TABLE AS (DdlExecutor::SetQueryColumns).
  std::string RunDdl(const ast::Statement& stmt, ResultSink& sink,
                     const std::vector<catalog::ColumnInfo>* query_columns = nullptr, bool* skipped = nullptr);
  void RunCreateTableAs(const ast::CreateTableStmt& stmt, ResultSink& sink);  // session_create_table_as.cpp
  // Roles (session_roles.cpp): CREATE/ALTER/DROP ROLE, returns the tag.
  std::string RunRole(const ast::Statement& stmt, ResultSink& sink);
  void CreateRole(const ast::CreateRoleStmt& stmt, ResultSink& sink);
  void AlterRole(const ast::AlterRoleStmt& stmt, ResultSink& sink);
  void DropRoles(const ast::DropRoleStmt& stmt, ResultSink& sink);
  // Start: the role logging in must exist and may log in (28000).
  void StartRole(const std::string& user);
  // current_user: the role SET ROLE chose, else the session's.
  std::string CurrentUser() const;
  // current_user's role as the catalog has it now.
  catalog::RoleInfo CurrentRole() const;
  // SET ROLE r | NONE (session_role_grants.cpp): r must exist (22023)
  // and the session user must be a member of it (42501).
  void SetRole(const ast::SetStmt& set);
  // GRANT/REVOKE and ALTER ... OWNER TO (session_grants.cpp, session_role_grants.cpp); return the tag.
  std::string RunGrant(const ast::GrantStmt& stmt, ResultSink& sink);
  std::string RunGrantRole(const ast::GrantRoleStmt& stmt, ResultSink& sink);
  std::string RunAlterOwner(const ast::AlterOwnerStmt& stmt, ResultSink& sink);
  void ChangeOwner(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo* table,
                   const catalog::SequenceInfo* sequence, uint32_t new_owner);
  // REASSIGN OWNED and DROP OWNED (session_owned.cpp); return the tag.
  std::string RunReassignOwned(const ast::ReassignOwnedStmt& stmt, ResultSink& sink);
  std::string RunDropOwned(const ast::DropOwnedStmt& stmt, ResultSink& sink);
  // PREPARE, EXECUTE and DEALLOCATE over statements_ (session_prepared.cpp).
  void RunPrepare(const ast::PrepareStmt& stmt, ResultSink& sink);
  void RunExecute(const ast::ExecuteStmt& stmt, ResultSink& sink, bool describe_columns);
  void RunDeallocate(const ast::DeallocateStmt& stmt, ResultSink& sink);
  // DECLARE, FETCH/MOVE, CLOSE and DISCARD over cursors_ (session_cursors.cpp).
  void RunDeclareCursor(const ast::DeclareCursorStmt& stmt, ResultSink& sink);
  void RunFetch(const ast::FetchStmt& stmt, ResultSink& sink, bool describe_columns);
  void RunCloseCursor(const ast::CloseCursorStmt& stmt, ResultSink& sink);
  void RunDiscard(const ast::DiscardStmt& stmt, ResultSink& sink);
  // LOCK TABLE and the locks' effect on DDL (session_lock.cpp).
  void RunLock(const ast::LockStmt& stmt, ResultSink& sink);
  // SELECT FROM a sequence (session_rows.cpp).
  std::optional<Row> SequenceRow(const std::string& schema, const std::string& name);
  void ReleaseTableLocks();
  void CheckTableShareLocks(const ast::Statement& stmt);
  void CheckTableShareLock(const catalog::TableInfo& table);  // 55P03 when another session holds it
  // The transaction ends (CommitTxn, RollbackTxn): its cursors go first,
  // while their portals' fragments can still close; at COMMIT those WITH
  // HOLD keep the rest of their rows instead (SqlCursor::Hold). Cursors held
  // at an earlier COMMIT stay either way.
  void EndCursors(bool commit);
  // ROLLBACK TO savepoints_[index]: closes the cursors declared after it.
  void RollbackCursorsTo(size_t index);
  // RELEASE down to `depth` savepoints: later cursors now belong to the one left.
  void ReleaseCursorsTo(size_t depth);
  // EXECUTE's arguments, evaluated and cast to the statement's parameter types.
  std::vector<Value> EvaluateExecuteArgs(const ast::ExecuteStmt& stmt, const std::vector<Type>& types);
  // The role a GRANT names (PUBLIC: kPublicRoleOid); 42704 when absent.
  uint32_t ResolveRoleSpec(const catalog::CatalogSnapshot& snapshot, const ast::RoleSpec& spec) const;
  // Table and view changes of GRANT/REVOKE/OWNER TO go through the
  // transaction's catalog like other DDL (they take effect at COMMIT).
  catalog::Catalog& DdlCatalog();
  // The catalog as this transaction sees it: with its own DDL until COMMIT.
  catalog::Catalog& SessionCatalog() { return block_catalog_ ? *block_catalog_ : db_.Catalog(); }
  int64_t NextVal(const std::string& qualified_name);
  // currval, setval, lastval (session_utility.cpp), with this session's
  // last values as PostgreSQL keeps them per backend.
  int64_t SequenceCall(planner::SequenceOp op, const std::string& qualified_name, int64_t value, bool is_called);
  void PrepareInto(SqlPrepared& prepared);
  // planner::PlanQuery as current_user, lending the planner this session's
  // rows for pg_cursors and pg_prepared_statements (session_rows.cpp);
  // `reads_session_rows` tells whether the plan holds some.
  planner::PlannedQuery Plan(const ast::Statement& stmt, const catalog::CatalogSnapshot& snapshot,
                             const std::vector<Type>& param_types, bool* reads_session_rows = nullptr);
  // Plans `prepared` again when the catalog moved or current_user changed since.
  void RefreshPlan(SqlPrepared& prepared);
  std::shared_ptr<SqlPrepared> PrepareStatement(ast::StatementPtr stmt, const std::string& sql,
                                                const std::vector<Type>& param_types);
  // The open transaction, begun at the isolation level in effect.
  BackendTxn& Txn();
  // Txn() for a new statement: READ COMMITTED takes a fresh snapshot, and
  // lock waits get this statement's lock_timeout / statement_timeout.
  BackendTxn& StatementTxn();
  void CommitTxn();
  void RollbackTxn();
  void RunSet(const ast::SetStmt& set, ResultSink& sink);
  // SET's effect on the settings (no transaction_isolation, no SET LOCAL
  // outside a block): RunSet's and set_config()'s.
  void ApplySet(const ast::SetStmt& set);
  // SET TRANSACTION ISOLATION LEVEL and its SET transaction_isolation form.
  void SetIsolation(const std::string& level, ResultSink& sink);
  void EndBlockSettings(bool commit);
  // 57014 for a lock wait that statement_timeout, not lock_timeout, ended.
  [[noreturn]] void RethrowLockWait(const SqlError& error) const;
  void FinishStatement();  // autocommit when no block or implicit transaction is open
  void HandleError();
  FragmentServices Services();
  // tessera.statement_memory_limit in bytes, within the server's limit.
  int64_t StatementMemoryLimit() const;
  // ParseSql charged to an account of StatementMemoryLimit (53200 past it).
  // `charged`, when given, receives the bytes the parse was charged (an
  // estimate of what its statements' trees hold).
  std::vector<ast::StatementPtr> ParseCharged(const std::string& sql, int64_t* charged = nullptr);
  planner::EvalContext EvalFor(const std::vector<Value>* params);
  // Temporary tables (session_temp_tables.cpp). EnsureTempSchema gives the
  // session its pg_temp_<n> at its first temp table; DropOwnTempTables
  // drops its tables in a transaction of their own when the session ends;
  // DiscardTemp drops them in the current one (DISCARD TEMP, DISCARD ALL).
  const std::string& EnsureTempSchema();
  std::vector<const catalog::TableInfo*> OwnTempTables(const catalog::CatalogSnapshot& snapshot) const;
  void DropOwnTempTables() noexcept;
  void DiscardTemp();
  // ON COMMIT DELETE ROWS and DROP: noted at CREATE, run at every COMMIT
  // before the transaction's data commits (PostgreSQL's PreCommit_on_commit_actions).
  void NoteOnCommit(const ast::CreateTableStmt& stmt);
  void RunOnCommitActions();

  Backend& db_;
  // What the catalog-reading built-ins (pg_table_is_visible, regclass,
  // has_table_privilege, ...) see: the transaction's catalog, its own DDL included.
  catalog::system::SnapshotCatalogView catalog_view_{[this] { return SessionCatalog().Snapshot(); }};
  SessionSettings settings_;
  SessionConfigAccess config_access_{*this};  // set_config / current_setting
  std::unique_ptr<BackendTxn> txn_;
  std::atomic<uint64_t> txn_id_{0};  // for Cancel() from another thread
  std::optional<SessionSettings> block_settings_;  // at BEGIN, for ROLLBACK and SET LOCAL
  std::vector<std::string> local_settings_;       // SET LOCAL names of this block
  std::unique_ptr<BlockCatalog> block_catalog_;  // the transaction's DDL, if it did any
  // What ROLLBACK TO returns to (session_savepoints.cpp).
  struct Savepoint {
    std::string name;
    uint64_t mark = 0;             // BackendTxn::Savepoint (0: before the transaction's first write)
    size_t catalog_changes = 0;    // BlockCatalog::ChangeCount
    // SET after the savepoint is undone too. Shared with the previous
    // savepoint when nothing changed: drivers that set a savepoint before
    // every statement (pgjdbc's autosave) pile them up without RELEASE.
    std::shared_ptr<const SessionSettings> settings;
    std::vector<std::string> local_settings;
  };
  std::vector<Savepoint> savepoints_;  // oldest first; names may repeat
  bool statement_timeout_binds_ = false;  // the current lock wait ends at statement_timeout
  uint64_t txn_generation_ = 1;
  int64_t txn_start_ = 0;
  int32_t backend_pid_ = 0;  // pg_backend_pid
  int64_t statement_start_ = 0;
  std::string current_sql_;  // the statement being run
  std::string user_;          // the role logged in: current_user, session_user
  uint32_t role_oid_ = 0;
  bool in_block_ = false;
  bool failed_ = false;
  std::map<std::string, int64_t> currvals_;  // sequence -> the last nextval (or setval) in this session
  std::string last_sequence_;                 // the sequence of the last nextval: lastval
  std::map<std::string, std::unique_ptr<SqlCursor>> cursors_;  // DECLAREd, by name
  // The extended protocol's Bind values while a utility statement runs from
  // its portal: a DECLARE's query takes them (psycopg 3 binds its cursors' parameters).
  const std::vector<Value>* bound_params_ = nullptr;
  const std::vector<Type>* bound_types_ = nullptr;

  // pg_temp_<n> once the session made a temp table (common/temp_schema.h);
  // installed for every call into the session (TempSchemaScope).
  std::string temp_schema_;
  std::map<uint32_t, char> on_commit_;  // temp table id -> 'd' DELETE ROWS | 'D' DROP

  bool implicit_ = false;  // extended protocol until Sync, or a multi-statement simple query
  std::atomic<bool> cancel_{false};
  std::atomic<bool> ending_{false};  // from DropOwnTempTables on: Cancel() does nothing
};

// 53200 for a std::bad_alloc that escaped a statement.
SqlError OutOfMemoryError();
// Now, in PostgreSQL's timestamp microseconds (since 2000-01-01 UTC).
int64_t PgNowMicros();

// COMMIT or ROLLBACK: the statements a failed block still accepts.
bool EndsTransaction(const ast::Statement& stmt);
// What a failed block still runs: COMMIT, ROLLBACK and ROLLBACK TO SAVEPOINT.
bool AllowedInFailedBlock(const ast::Statement& stmt);
std::vector<ColumnDesc> ToColumnDescs(const std::vector<planner::OutputColumn>& columns);

}  // namespace tessera::executor
