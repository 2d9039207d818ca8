// SELECT: set operations, the select list, FROM with joins, ORDER BY and
// LIMIT/OFFSET/FETCH.
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

using antlr4::tree::TerminalNode;

ast::SetOpKind SetOpOf(size_t token_type) {
  switch (token_type) {
    case TP::UNION: return ast::SetOpKind::kUnion;
    case TP::INTERSECT: return ast::SetOpKind::kIntersect;
    default: return ast::SetOpKind::kExcept;
  }
}

std::unique_ptr<ast::SelectStmt> MakeSetOp(ast::SetOpKind op, bool all, std::unique_ptr<ast::SelectStmt> left,
                                           std::unique_ptr<ast::SelectStmt> right) {
  auto node = std::make_unique<ast::SelectStmt>();
  node->set_op = op;
  node->set_all = all;
  node->start = left->start;
  node->set_left = std::move(left);
  node->set_right = std::move(right);
  return node;
}

// Walks `operand (OP quantifier? operand)*` children.
template <class Operand, class Ctx, class Fn>
std::unique_ptr<ast::SelectStmt> FoldSetOps(Ctx* ctx, Fn build_operand) {
  auto& children = ctx->children;
  auto result = build_operand(static_cast<Operand*>(children[0]));
  for (size_t i = 1; i < children.size();) {
    ast::SetOpKind op = SetOpOf(static_cast<TerminalNode*>(children[i])->getSymbol()->getType());
    bool all = false;
    ++i;
    if (auto* q = dynamic_cast<TP::SetQuantifierContext*>(children[i])) {
      all = q->ALL() != nullptr;
      ++i;
    }
    result = MakeSetOp(op, all, std::move(result), build_operand(static_cast<Operand*>(children[i])));
    ++i;
  }
  return result;
}

}  // namespace

std::unique_ptr<ast::SelectStmt> AstBuilder::BuildSelect(TP::SelectStmtContext* ctx) {
  auto select = BuildUnion(ctx->selectUnion());
  if (auto* with = ctx->withClause()) {
    // (WITH a AS (...) SELECT ...) nested in another WITH keeps both: wrap it.
    if (select->with) {
      auto outer = std::make_unique<ast::SelectStmt>();
      ast::SelectTarget star;
      star.expr = ast::MakeColumnRef({"*"}, Loc(with));
      outer->targets.push_back(std::move(star));
      auto sub = std::make_unique<ast::TableRef>();
      sub->kind = ast::TableRefKind::kSubquery;
      sub->alias = "*SELECT*";
      sub->location = Loc(with);
      sub->subquery = std::move(select);
      outer->from.push_back(std::move(sub));
      select = std::move(outer);
    }
    select->with = BuildWith(with);
  }
  if (auto* order = ctx->orderByClause()) {
    if (!select->order_by.empty()) {
      throw SqlError(sqlstate::kSyntaxError, "multiple ORDER BY clauses not allowed", {}, {}, Loc(order) + 1);
    }
    select->order_by = BuildOrderItems(order->orderItem());
  }
  for (auto* item : ctx->lockingItem()) select->locking.push_back(BuildLockingClause(item));
  for (auto* item : ctx->limitItem()) {
    if (auto* limit = dynamic_cast<TP::LimitClauseContext*>(item)) {
      select->limit = limit->expr() != nullptr ? BuildExpr(limit->expr()) : nullptr;
    } else if (auto* offset = dynamic_cast<TP::OffsetClauseContext*>(item)) {
      select->offset = BuildExpr(offset->expr());
    } else {
      auto* fetch = static_cast<TP::FetchClauseContext*>(item);
      select->limit = fetch->expr() != nullptr ? BuildExpr(fetch->expr())
                                               : ast::MakeConstant(ast::ConstantKind::kInteger, "1", Loc(fetch));
    }
  }
  select->start = Loc(ctx);
  select->end = static_cast<int>(ctx->getStop()->getStopIndex()) + 1;
  return select;
}

ast::LockingClause AstBuilder::BuildLockingClause(TP::LockingItemContext* ctx) {
  ast::LockingClause clause;
  clause.location = Loc(ctx);
  if (ctx->SHARE() != nullptr) {
    clause.strength = ctx->KEY() != nullptr ? ast::LockStrength::kKeyShare : ast::LockStrength::kShare;
  } else if (ctx->NO() != nullptr) {
    clause.strength = ast::LockStrength::kNoKeyUpdate;
  }
  if (ctx->NOWAIT() != nullptr) clause.wait = ast::LockWaitPolicy::kNoWait;
  if (ctx->LOCKED() != nullptr) clause.wait = ast::LockWaitPolicy::kSkipLocked;
  for (auto* name : ctx->qualifiedName()) clause.of.push_back(QualifiedName(name));
  return clause;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::BuildUnion(TP::SelectUnionContext* ctx) {
  return FoldSetOps<TP::SelectIntersectContext>(ctx, [this](TP::SelectIntersectContext* c) { return BuildIntersect(c); });
}

std::unique_ptr<ast::SelectStmt> AstBuilder::BuildIntersect(TP::SelectIntersectContext* ctx) {
  return FoldSetOps<TP::SelectPrimaryContext>(ctx, [this](TP::SelectPrimaryContext* c) { return BuildSelectPrimary(c); });
}

std::unique_ptr<ast::SelectStmt> AstBuilder::BuildSelectPrimary(TP::SelectPrimaryContext* ctx) {
  if (ctx->simpleSelect() != nullptr) return BuildSimpleSelect(ctx->simpleSelect());
  if (ctx->selectStmt() != nullptr) return BuildSelect(ctx->selectStmt());
  auto select = std::make_unique<ast::SelectStmt>();
  for (auto* row : ctx->valuesClause()->valuesRow()) select->values.push_back(BuildExprList(row->exprList()));
  return select;
}

std::unique_ptr<ast::SelectStmt> AstBuilder::BuildSimpleSelect(TP::SimpleSelectContext* ctx) {
  auto select = std::make_unique<ast::SelectStmt>();
  select->start = Loc(ctx);
  if (auto* distinct = ctx->distinctClause()) {
    select->distinct = distinct->DISTINCT() != nullptr;
    if (distinct->exprList() != nullptr) select->distinct_on = BuildExprList(distinct->exprList());
  }
  if (ctx->targetList() != nullptr) select->targets = BuildTargetList(ctx->targetList());
  if (auto* into = ctx->intoClause()) {
    auto clause = std::make_shared<ast::IntoClause>();
    clause->table = QualifiedName(into->qualifiedName());
    clause->temporary = into->TEMP() != nullptr || into->TEMPORARY() != nullptr;
    clause->location = Loc(into);
    select->into = std::move(clause);
  }
  if (auto* from = ctx->fromClause()) {
    for (auto* ref : from->tableRef()) select->from.push_back(BuildTableRef(ref));
  }
  if (ctx->whereClause() != nullptr) select->where = BuildExpr(ctx->whereClause()->expr());
  if (ctx->groupByClause() != nullptr) select->group_by = BuildExprList(ctx->groupByClause()->exprList());
  if (ctx->havingClause() != nullptr) select->having = BuildExpr(ctx->havingClause()->expr());
  if (ctx->windowClause() != nullptr) select->windows = BuildWindowClause(ctx->windowClause());
  return select;
}

std::vector<ast::SelectTarget> AstBuilder::BuildTargetList(TP::TargetListContext* ctx) {
  std::vector<ast::SelectTarget> targets;
  for (auto* item : ctx->targetItem()) {
    ast::SelectTarget target;
    if (auto* e = dynamic_cast<TP::TargetExprContext*>(item)) {
      target.expr = BuildExpr(e->expr());
      if (e->colLabel() != nullptr) target.alias = ColLabel(e->colLabel());
      if (e->identifier() != nullptr) target.alias = Identifier(e->identifier());
    } else {
      target.expr = ast::MakeColumnRef({"*"}, Loc(item));
    }
    targets.push_back(std::move(target));
  }
  return targets;
}

std::vector<ast::OrderItem> AstBuilder::BuildOrderItems(const std::vector<TP::OrderItemContext*>& items) {
  std::vector<ast::OrderItem> out;
  for (auto* item : items) {
    ast::OrderItem order;
    order.expr = BuildExpr(item->expr());
    order.descending = item->DESC() != nullptr;
    if (item->NULLS() != nullptr) order.nulls_first = item->FIRST() != nullptr;
    out.push_back(std::move(order));
  }
  return out;
}

namespace {

void ApplyAlias(TP::AliasClauseContext* alias, ast::TableRef& ref) {
  if (alias == nullptr) return;
  ref.alias = Identifier(alias->identifier());
  ref.column_aliases = IdentifierList(alias->identifierList());
}

ast::JoinType JoinTypeOf(TP::JoinTypeContext* ctx) {
  if (ctx == nullptr || ctx->INNER() != nullptr) return ast::JoinType::kInner;
  if (ctx->LEFT() != nullptr) return ast::JoinType::kLeft;
  if (ctx->RIGHT() != nullptr) return ast::JoinType::kRight;
  return ast::JoinType::kFull;
}

}  // namespace

ast::TableRefPtr AstBuilder::BuildTableRef(TP::TableRefContext* ctx) {
  ast::TableRefPtr result = BuildTablePrimary(ctx->tablePrimary());
  for (auto* part : ctx->joinPart()) {
    auto join = std::make_unique<ast::TableRef>();
    join->kind = ast::TableRefKind::kJoin;
    join->location = Loc(part);
    join->left = std::move(result);
    if (auto* cross = dynamic_cast<TP::CrossJoinContext*>(part)) {
      join->join_type = ast::JoinType::kCross;
      join->right = BuildTablePrimary(cross->tablePrimary());
    } else if (auto* natural = dynamic_cast<TP::NaturalJoinContext*>(part)) {
      join->join_type = JoinTypeOf(natural->joinType());
      join->natural = true;
      join->right = BuildTablePrimary(natural->tablePrimary());
    } else {
      auto* qualified = static_cast<TP::QualifiedJoinContext*>(part);
      join->join_type = JoinTypeOf(qualified->joinType());
      join->right = BuildTablePrimary(qualified->tablePrimary());
      auto* qual = qualified->joinQual();
      if (qual->expr() != nullptr) {
        join->join_condition = BuildExpr(qual->expr());
      } else {
        join->using_columns = IdentifierList(qual->identifierList());
      }
    }
    result = std::move(join);
  }
  return result;
}

ast::TableRefPtr AstBuilder::BuildTablePrimary(TP::TablePrimaryContext* ctx) {
  auto ref = std::make_unique<ast::TableRef>();
  ref->location = Loc(ctx);
  if (auto* t = dynamic_cast<TP::TableNameContext*>(ctx)) {
    ref->kind = ast::TableRefKind::kTable;
    ref->table = QualifiedName(t->qualifiedName());
    ApplyAlias(t->aliasClause(), *ref);
  } else if (auto* f = dynamic_cast<TP::TableFunctionContext*>(ctx)) {
    ref->kind = ast::TableRefKind::kFunction;
    ref->function = BuildFuncApplication(f->funcApplication());
    ApplyAlias(f->aliasClause(), *ref);
  } else if (auto* s = dynamic_cast<TP::TableSubqueryContext*>(ctx)) {
    ref->kind = ast::TableRefKind::kSubquery;
    ref->subquery = BuildSelect(s->selectStmt());
    ApplyAlias(s->aliasClause(), *ref);
  } else {
    auto* p = static_cast<TP::TableParensContext*>(ctx);
    ref = BuildTableRef(p->tableRef());
    ApplyAlias(p->aliasClause(), *ref);
  }
  return ref;
}

}  // namespace tessera
