// PlanQuery: bind, then optimise and cut into fragments.
#include "planner/planner.h"

namespace tessera::planner {

PlannedQuery PlanQuery(const ast::Statement& stmt, const catalog::CatalogSnapshot& catalog,
                       std::vector<Type> param_types, const std::string& user, const std::string& session_user) {
  PlannedQuery out;
  out.kind = stmt.kind;
  out.param_types = std::move(param_types);
  Binder binder(catalog, &out.param_types);
  binder.SetUser(user);
  binder.SetSessionUser(session_user.empty() ? user : session_user);
  std::vector<RequiredPrivilege> privileges;
  binder.CollectPrivileges(&privileges);
  BoundQuery bound;
  switch (stmt.kind) {
    case ast::StmtKind::kSelect: bound = binder.BindSelect(stmt.As<ast::SelectStmt>()); break;
    case ast::StmtKind::kInsert: bound = binder.BindInsert(stmt.As<ast::InsertStmt>()); break;
    case ast::StmtKind::kUpdate: bound = binder.BindUpdate(stmt.As<ast::UpdateStmt>()); break;
    case ast::StmtKind::kDelete: bound = binder.BindDelete(stmt.As<ast::DeleteStmt>()); break;
    default: throw SqlError::Internal("PlanQuery called for a statement that is not a query");
  }
  binder.FinishParams();
  // The role checked is current_user's; none given is the bootstrap
  // superuser, who passes (a role since dropped holds PUBLIC's privileges only).
  if (!user.empty()) {
    const catalog::RoleInfo* role = catalog.FindRole(user);
    CheckPrivileges(catalog, privileges, role != nullptr ? role->oid : catalog::kPublicRoleOid);
  }
  out.plan = Optimize(bound.plan);
  for (auto& sub : binder.Subqueries()) out.subqueries.push_back({Optimize(sub.plan), sub.correlated, sub.cacheable});
  out.columns = std::move(bound.columns);
  out.returns_rows = stmt.kind == ast::StmtKind::kSelect || !out.columns.empty();
  return out;
}

}  // namespace tessera::planner
