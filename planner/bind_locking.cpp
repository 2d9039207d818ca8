// SELECT ... FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF name, ...]
// [NOWAIT | SKIP LOCKED]: PostgreSQL's checks (CheckSelectLocking and
// transformLockingClause in its analyze.c), in its order, then what Tessera
// supports: one base table, locked exclusively. The table's LogicalGet is
// marked, so the scan fragment locks each row it returns on the node that
// holds it (executor/row_locking.h).
//
// FOR NO KEY UPDATE is taken as FOR UPDATE: strictly stronger (it only
// blocks more: a concurrent FOR KEY SHARE, which Tessera refuses anyway).
// FOR SHARE and FOR KEY SHARE are refused (0A000): the lock table has no
// shared locks, and taking an exclusive one would make two sharers block
// each other.
#include <algorithm>

#include "common/error.h"
#include "planner/bind_select_internal.h"

namespace tessera::planner {

namespace {

// What a FROM-clause name stands for, as PostgreSQL's range table kinds.
enum class FromKind : uint8_t { kTable, kJoin, kSubquery, kFunction, kCte };

struct FromName {
  std::string name;
  FromKind kind;
};

void CollectFromNames(const ast::TableRef& ref, const CteScope* ctes, std::vector<FromName>* out) {
  switch (ref.kind) {
    case ast::TableRefKind::kTable: {
      bool cte = ctes && ref.table.schema.empty() && ctes->Find(ref.table.name) != nullptr;
      out->push_back({ref.alias.empty() ? ref.table.name : ref.alias, cte ? FromKind::kCte : FromKind::kTable});
      return;
    }
    case ast::TableRefKind::kJoin:
      CollectFromNames(*ref.left, ctes, out);
      CollectFromNames(*ref.right, ctes, out);
      out->push_back({ref.alias.empty() ? "unnamed_join" : ref.alias, FromKind::kJoin});
      return;
    case ast::TableRefKind::kSubquery: out->push_back({ref.alias, FromKind::kSubquery}); return;
    case ast::TableRefKind::kFunction:
      out->push_back({ref.alias.empty() ? ref.function->func_name : ref.alias, FromKind::kFunction});
      return;
  }
}

// PostgreSQL's LockClauseStrength and LockWaitPolicy orders: several
// clauses on one table combine to the strongest of each.
int StrengthRank(ast::LockStrength s) {
  switch (s) {
    case ast::LockStrength::kKeyShare: return 1;
    case ast::LockStrength::kShare: return 2;
    case ast::LockStrength::kNoKeyUpdate: return 3;
    case ast::LockStrength::kUpdate: return 4;
  }
  return 4;
}

int WaitRank(ast::LockWaitPolicy w) {
  switch (w) {
    case ast::LockWaitPolicy::kBlock: return 0;
    case ast::LockWaitPolicy::kSkipLocked: return 1;
    case ast::LockWaitPolicy::kNoWait: return 2;
  }
  return 0;
}

SqlError NotAllowed(ast::LockStrength strength, const std::string& with) {
  return SqlError::FeatureNotSupported(std::string(ast::LockingClauseName(strength)) + " is not allowed with " + with);
}

}  // namespace

LogicalRef SelectBinder::BindLocking(const ast::SelectStmt& stmt, const LogicalRef& from) {
  bool aggregates = false;
  for (auto& t : targets_) aggregates = aggregates || HasAggregate(*t.expr);
  std::vector<FromName> names;
  for (auto& ref : stmt.from) CollectFromNames(*ref, binder_.ctes_, &names);

  // Per name in `names`: the strongest clause naming it (rank 0: none).
  std::vector<int> strength(names.size(), 0), wait(names.size(), -1);
  std::vector<ast::LockStrength> strength_of(names.size(), ast::LockStrength::kUpdate);
  auto apply = [&](size_t i, const ast::LockingClause& clause) {
    if (StrengthRank(clause.strength) > strength[i]) {
      strength[i] = StrengthRank(clause.strength);
      strength_of[i] = clause.strength;
    }
    wait[i] = std::max(wait[i], WaitRank(clause.wait));
  };
  for (const ast::LockingClause& clause : stmt.locking) {
    ast::LockStrength s = clause.strength;
    const std::string clause_name = ast::LockingClauseName(s);
    if (stmt.distinct) throw NotAllowed(s, "DISTINCT clause");
    if (!stmt.group_by.empty()) throw NotAllowed(s, "GROUP BY clause");
    if (stmt.having) throw NotAllowed(s, "HAVING clause");
    if (aggregates) throw NotAllowed(s, "aggregate functions");
    if (set_function_targets_) throw NotAllowed(s, "set-returning functions in the target list");
    if (clause.of.empty()) {
      // Every table and subquery of the FROM clause; joins, functions and
      // WITH queries are passed over, as PostgreSQL does.
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i].kind == FromKind::kTable || names[i].kind == FromKind::kSubquery) apply(i, clause);
      continue;
    }
    for (const ast::QualifiedName& rel : clause.of) {
      if (!rel.schema.empty())
        throw SqlError(sqlstate::kSyntaxError, clause_name + " must specify unqualified relation names", {}, {},
                       rel.location + 1);
      auto it = std::find_if(names.begin(), names.end(), [&](const FromName& n) { return n.name == rel.name; });
      if (it == names.end())
        throw SqlError(sqlstate::kUndefinedTable,
                       "relation \"" + rel.name + "\" in " + clause_name + " clause not found in FROM clause", {}, {},
                       rel.location + 1);
      switch (it->kind) {
        case FromKind::kJoin: throw SqlError::FeatureNotSupported(clause_name + " cannot be applied to a join");
        case FromKind::kFunction: throw SqlError::FeatureNotSupported(clause_name + " cannot be applied to a function");
        case FromKind::kCte: throw SqlError::FeatureNotSupported(clause_name + " cannot be applied to a WITH query");
        default: apply(static_cast<size_t>(it - names.begin()), clause);
      }
    }
  }

  // What PostgreSQL accepts; now what Tessera can do.
  size_t locked = 0, which = 0;
  for (size_t i = 0; i < names.size(); ++i)
    if (strength[i] > 0) ++locked, which = i;
  if (locked == 0) return from;  // nothing to lock (no FROM, a function, a WITH query)
  const std::string first = ast::LockingClauseName(stmt.locking[0].strength);
  if (!binder_.statement_root_)
    throw SqlError::FeatureNotSupported(first + " is not supported in a subquery or WITH query yet");
  if (strength_of[which] == ast::LockStrength::kShare || strength_of[which] == ast::LockStrength::kKeyShare)
    throw SqlError::FeatureNotSupported(std::string(ast::LockingClauseName(strength_of[which])) +
                                        " is not supported: Tessera has no shared row locks (use FOR UPDATE)");
  if (locked > 1 || names.size() != 1 || from->Kind() != LogicalKind::kGet)
    throw SqlError::FeatureNotSupported(first + " is supported only on a query of a single table yet");
  const auto& get = from->Cast<LogicalGet>();
  // Locking rows takes UPDATE on the table too (PostgreSQL's ACL_SELECT_FOR_UPDATE).
  if (const catalog::TableInfo* table = binder_.catalog_.FindTableById(get.Table().table_id))
    binder_.Require(*table, catalog::privilege::kUpdate);
  RowLockWait policy = wait[which] == 2   ? RowLockWait::kNoWait
                       : wait[which] == 1 ? RowLockWait::kSkipLocked
                                          : RowLockWait::kBlock;
  return std::make_shared<LogicalGet>(get.Table(), get.Alias(), get.Filter(), policy);
}

}  // namespace tessera::planner
