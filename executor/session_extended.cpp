// The extended protocol: Prepare plans once, Bind attaches parameters,
// Execute runs with a row limit and keeps its operator tree between calls.
#include <chrono>
#include <new>

#include "common/error.h"
#include "common/temp_schema.h"
#include "executor/background_free.h"
#include "executor/local_fragment_executor.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

int CountFragments(const planner::LogicalOperator& op) {
  int n = 0;
  switch (op.Kind()) {
    case planner::LogicalKind::kFragmentScan:
    case planner::LogicalKind::kInsert:
    case planner::LogicalKind::kUpdate:
    case planner::LogicalKind::kDelete: n = 1; break;
    // The recursive term's fragments run once per round: never a single fragment.
    case planner::LogicalKind::kRecursiveUnion: n = 1; break;
    default: break;
  }
  for (auto& child : op.Children()) n += CountFragments(*child);
  return n;
}

// Fragments one execution of `query` runs, its subqueries' included.
int CountFragments(const planner::PlannedQuery& query) {
  int n = CountFragments(*query.plan);
  // A correlated subquery's fragments run once per outer row: at least twice.
  for (auto& sub : query.subqueries) n += CountFragments(*sub.plan) * (sub.correlated ? 2 : 1);
  return n;
}

bool IsQuery(ast::StmtKind kind) {
  return kind == ast::StmtKind::kSelect || kind == ast::StmtKind::kInsert || kind == ast::StmtKind::kUpdate ||
         kind == ast::StmtKind::kDelete;
}

// Passes everything through except Columns: the extended protocol describes separately.
class NoColumnsSink final : public ForwardingSink {
 public:
  using ForwardingSink::ForwardingSink;
  void Columns(const std::vector<ColumnDesc>&) override {}
  void BinaryColumns(const std::vector<ColumnDesc>&) override {}
};

std::string Tag(const planner::PlannedQuery& plan, int64_t rows, int64_t affected) {
  switch (plan.kind) {
    case ast::StmtKind::kInsert: return "INSERT 0 " + std::to_string(affected);
    case ast::StmtKind::kUpdate: return "UPDATE " + std::to_string(affected);
    case ast::StmtKind::kDelete: return "DELETE " + std::to_string(affected);
    default: return "SELECT " + std::to_string(rows);
  }
}

}  // namespace

std::shared_ptr<SqlPrepared> SqlSession::PrepareStatement(ast::StatementPtr stmt, const std::string& sql,
                                                          const std::vector<Type>& param_types) {
  auto prepared = std::make_shared<SqlPrepared>();
  prepared->sql_ = sql;
  prepared->stmt_ = std::move(stmt);
  prepared->given_types_ = param_types;
  prepared->param_types_ = param_types;
  if (prepared->stmt_) PrepareInto(*prepared);
  return prepared;
}

void SqlSession::PrepareInto(SqlPrepared& prepared) {
  const ast::Statement& stmt = *prepared.stmt_;
  auto snapshot = SessionCatalog().Snapshot();
  prepared.catalog_version_ = snapshot->Version();
  prepared.planned_for_ = CurrentUser();
  prepared.columns_.clear();
  if (IsQuery(stmt.kind)) {
    prepared.plan_ = std::make_shared<planner::PlannedQuery>(
        Plan(stmt, *snapshot, prepared.given_types_, &prepared.reads_session_rows_));
    prepared.param_types_ = prepared.plan_->param_types;
    if (prepared.plan_->returns_rows) prepared.columns_ = ToColumnDescs(prepared.plan_->columns);
    return;
  }
  if (stmt.kind == ast::StmtKind::kShow) {
    const auto& show = stmt.As<ast::ShowStmt>();
    if (show.name == "all") {
      prepared.columns_ = {{"name", 0, 0, Type::Of(TypeId::kText)},
                           {"setting", 0, 0, Type::Of(TypeId::kText)},
                           {"description", 0, 0, Type::Of(TypeId::kText)}};
    } else {
      prepared.columns_ = {{settings_.CanonicalName(show.name), 0, 0, Type::Of(TypeId::kText)}};
    }
  } else if (stmt.kind == ast::StmtKind::kExplain) {
    prepared.columns_ = {{"QUERY PLAN", 0, 0, Type::Of(TypeId::kText)}};
  } else if (stmt.kind == ast::StmtKind::kExecute) {
    // Describe shows the rows of the statement EXECUTE names, if it exists yet.
    auto it = statements_.find(stmt.As<ast::ExecuteStmt>().name);
    if (it != statements_.end()) prepared.columns_ = it->second->ResultColumns();
  } else if (stmt.kind == ast::StmtKind::kFetch) {
    // FETCH describes as its cursor's rows (psycopg 3 fetches through the
    // extended protocol); MOVE returns none.
    const auto& fetch = stmt.As<ast::FetchStmt>();
    auto it = cursors_.find(fetch.name);
    if (!fetch.move && it != cursors_.end()) prepared.columns_ = it->second->Columns();
  } else if (stmt.kind == ast::StmtKind::kDeclareCursor) {
    // The query's parameters are the DECLARE's: Bind gives their values.
    const auto& declare = stmt.As<ast::DeclareCursorStmt>();
    prepared.param_types_ = Plan(*declare.query, *snapshot, prepared.given_types_).param_types;
  }
}

std::shared_ptr<PreparedStatement> SqlSession::Prepare(const std::string& sql, const std::vector<Type>& param_types) {
  TempSchemaScope temp_schema(temp_schema_);
  int64_t parsed_bytes = 0;
  std::vector<ast::StatementPtr> stmts = ParseCharged(sql, &parsed_bytes);
  auto memory = std::make_unique<PoolReservation>(parsed_bytes / kParseBytesPerToken * kKeptBytesPerToken,
                                                  "CachedPlanSource");
  if (stmts.size() > 1)
    throw SqlError(sqlstate::kSyntaxError, "cannot insert multiple commands into a prepared statement");
  if (failed_ && !AllowedInFailedBlock(*stmts[0]))
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  ast::StatementPtr stmt = stmts.empty() || stmts[0]->kind == ast::StmtKind::kEmpty ? nullptr : std::move(stmts[0]);
  auto prepared = PrepareStatement(std::move(stmt), sql, param_types);
  prepared->memory_ = std::move(memory);
  prepared->prepare_time_ = PgNowMicros();
  return prepared;
}

void SqlSession::RefreshPlan(SqlPrepared& prepared) {
  // A plan made against an older catalog is made again (tables may have changed).
  // So is one made (and its privileges checked) for another current_user.
  if (prepared.plan_ && prepared.stmt_ &&
      (prepared.catalog_version_ != SessionCatalog().Snapshot()->Version() || prepared.planned_for_ != CurrentUser() ||
       prepared.reads_session_rows_)) {
    auto fresh = PrepareStatement(nullptr, prepared.sql_, prepared.given_types_);
    fresh->stmt_ = std::move(prepared.stmt_);
    PrepareInto(*fresh);
    prepared.stmt_ = std::move(fresh->stmt_);
    prepared.plan_ = fresh->plan_;
    prepared.reads_session_rows_ = fresh->reads_session_rows_;
    prepared.catalog_version_ = fresh->catalog_version_;
    prepared.planned_for_ = fresh->planned_for_;
  }
}

std::unique_ptr<Portal> SqlSession::Bind(std::shared_ptr<PreparedStatement> statement, std::vector<Value> params) {
  TempSchemaScope temp_schema(temp_schema_);
  auto prepared = std::dynamic_pointer_cast<SqlPrepared>(statement);
  TS_ASSERT(prepared != nullptr, "foreign prepared statement");
  if (failed_ && !(prepared->stmt_ && AllowedInFailedBlock(*prepared->stmt_)))
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  RefreshPlan(*prepared);
  if (params.size() != prepared->param_types_.size())
    throw SqlError(sqlstate::kProtocolViolation,
                   "bind message supplies " + std::to_string(params.size()) + " parameters, but prepared statement \"\" requires " +
                       std::to_string(prepared->param_types_.size()));
  if (!in_block_) implicit_ = true;
  return std::make_unique<SqlPortal>(*this, prepared, std::move(params));
}

SqlPortal::SqlPortal(SqlSession& session, std::shared_ptr<SqlPrepared> prepared, std::vector<Value> params)
    : session_(session),
      prepared_(std::move(prepared)),
      plan_(prepared_->plan_),
      memory_(std::make_unique<MemoryAccount>("ExecutorState", session.StatementMemoryLimit())) {
  ctx_ = std::make_unique<ExecContext>();
  ctx_->memory = memory_.get();
  memory_->Grow(EstimateRowBytes(params));  // Bind's parameter values live as long as the portal
  ctx_->params = std::move(params);
}

SqlPortal::~SqlPortal() {
  subplans_.reset();
  if (!root_ || memory_->Used() < kBackgroundFreeBytes) {
    // Operators first (they give their charges back), then the account.
    root_.reset();
    ctx_.reset();
    bool trim = WorthTrimming(memory_->Peak());
    memory_.reset();
    if (trim) TrimFreedMemory();
    return;
  }
  // The operators (their charges), what they point into (context, plan),
  // then the account, in that order, off this thread. fragments_ stays:
  // it belongs to the transaction, which this thread goes on using.
  struct Doomed {
    std::shared_ptr<const planner::PlannedQuery> plan;
    std::unique_ptr<MemoryAccount> memory;
    std::unique_ptr<ExecContext> ctx;
    PhysicalRef root;
  };
  bool trim = WorthTrimming(memory_->Peak());
  FreeInBackground(std::make_unique<Doomed>(Doomed{plan_, std::move(memory_), std::move(ctx_), std::move(root_)}),
                   trim);
}

bool SqlPortal::Execute(size_t max_rows, ResultSink& sink) {
  TempSchemaScope temp_schema(session_.temp_schema_);
  // A SELECT's tag counts the rows of this Execute (PostgreSQL's
  // PortalRunSelect): "SELECT 0" for a portal already at its end. A write's
  // tag counts every row it wrote.
  if (finished_) {
    sink.Complete(plan_ ? Tag(*plan_, 0, root_ ? root_->Affected() : 0) : "SELECT 0");
    return true;
  }
  if (!prepared_->stmt_ && !plan_) {
    finished_ = true;
    sink.EmptyQuery();
    return true;
  }
  if (!plan_) {
    // Utility statements run whole through the session.
    finished_ = true;
    NoColumnsSink quiet(sink);
    // A DECLARE takes the Bind's values for its query's parameters.
    session_.bound_params_ = &ctx_->params;
    session_.bound_types_ = &prepared_->param_types_;
    struct Unbind {
      SqlSession& session;
      ~Unbind() { session.bound_params_ = nullptr, session.bound_types_ = nullptr; }
    } unbind{session_};
    session_.RunStatement(*prepared_->stmt_, prepared_->sql_, quiet, false);
    return true;
  }
  try {
    if (!started_) {
      Start();
    } else if (!session_.txn_ || txn_generation_ != session_.txn_generation_) {
      throw SqlError(sqlstate::kInvalidCursorName, "portal \"\" does not exist");
    }
    if (deferred_) {
      finished_ = true;
      throw *deferred_;
    }
    size_t sent = 0;
    while (max_rows == 0 || sent < max_rows) {
      if (pending_pos_ >= pending_.size()) {
        pending_.clear();
        pending_pos_ = 0;
        if (root_done_ || !root_->Next(&pending_)) {
          finished_ = true;
          break;
        }
        continue;
      }
      if (plan_->returns_rows) sink.Row(pending_[pending_pos_]);
      ++pending_pos_;
      ++sent;
      ++rows_;
    }
    // Like PostgreSQL, a portal that sent exactly max_rows is suspended
    // even if nothing is left: its end shows at the next Execute.
    if (!finished_) return false;
    sink.Complete(Tag(*plan_, static_cast<int64_t>(sent), root_->Affected()));
    if (prepared_->stmt_) session_.FinishStatement();
    return true;
  } catch (const SqlError& e) {
    if (prepared_->stmt_) session_.HandleError();
    session_.RethrowLockWait(e);
  } catch (const std::bad_alloc&) {
    // The allocator failed before our accounting did: the statement fails
    // as PostgreSQL's does, not with XX000.
    if (prepared_->stmt_) session_.HandleError();
    throw OutOfMemoryError();
  }
}

void SqlPortal::Start() {
  started_ = true;
  if (session_.failed_)
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  session_.cancel_.store(false);
  ctx_->poll.cancel = &session_.cancel_;
  RestartDeadline();
  BackendTxn& txn = session_.StatementTxn();
  txn_generation_ = session_.txn_generation_;
  FragmentServices services = session_.Services();
  services.statement_fragments = CountFragments(*plan_);
  services.stats = stats_;
  ctx_->work_mem = session_.settings_.BytesOf("work_mem");
  if (stats_ != nullptr) ctx_->sort_reports = &stats_->sorts;
  // Fragments see the same deadline (on a storage node: the time left)
  // and charge the same account while they run.
  services.deadline_ns = cursor_ ? 0 : ctx_->poll.deadline_ns;
  services.memory = memory_.get();
  fragments_ = txn.Fragments(services);
  ctx_->eval = session_.EvalFor(&ctx_->params);
  ctx_->fragments = fragments_.get();
  foreign_keys_ = std::make_unique<ForeignKeyChecker>(session_.SessionCatalog().Snapshot(), *fragments_,
                                                      [t = &txn] { t->RefreshSnapshot(); });
  ctx_->foreign_keys = foreign_keys_.get();
  RunSubqueries();
  root_ = CreatePhysical(*plan_->plan, *ctx_);
}

void SqlPortal::StartForCursor() {
  TS_ASSERT(plan_ && !started_, "a cursor's portal starts once, with a plan");
  cursor_ = true;
  Start();
  try {
    root_done_ = !root_->Next(&pending_);
  } catch (const SqlError& e) {
    if (e.Sqlstate().rfind("22", 0) != 0) throw;
    deferred_ = e;
  }
}

void SqlPortal::RestartDeadline() {
  int64_t ms = session_.settings_.StatementTimeoutMs();
  ctx_->poll.deadline_ns = ms > 0 ? StatementPoll::NowNs() + ms * 1000000 : 0;
}

// Runs each uncorrelated subquery once, keeping the first column of its
// rows; correlated ones (an empty slot here) run when rows evaluate them.
void SqlPortal::RunSubqueries() {
  ctx_->subquery_rows.clear();
  ctx_->subquery_rows.reserve(plan_->subqueries.size());
  ctx_->eval.subquery_rows = &ctx_->subquery_rows;
  subplans_ = std::make_unique<SubPlanRunner>(plan_->subqueries, *ctx_);
  ctx_->eval.run_subplan = [runner = subplans_.get()](int slot, std::vector<Value> outer, size_t max_rows) {
    return runner->Run(slot, std::move(outer), max_rows);
  };
  for (size_t i = 0; i < plan_->subqueries.size(); ++i) {
    if (plan_->subqueries[i].correlated) {
      ctx_->subquery_rows.emplace_back();
      continue;
    }
    PhysicalRef sub = CreatePhysical(*plan_->subqueries[i].plan, *ctx_);
    std::vector<Value> values;
    Batch batch;
    while (sub->Next(&batch)) {
      ctx_->CheckCancel();
      // The materialised values live until the statement ends.
      int64_t bytes = 0;
      for (auto& row : batch) {
        values.push_back(row.empty() ? Value::Bool(true) : std::move(row[0]));
        bytes += EstimateValueBytes(values.back());
      }
      memory_->Grow(bytes, "SubPlan");
    }
    ctx_->subquery_rows.push_back(std::move(values));
  }
}

}  // namespace tessera::executor
