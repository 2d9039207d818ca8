// Expressions: one method per precedence level of the grammar, each folding
// its operator loop into left-associative binary nodes.
#include "common/error.h"
#include "common/stack_depth.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

using antlr4::tree::TerminalNode;

ast::ExprPtr MakeExpr(ast::ExprKind kind, int location) { return std::make_unique<ast::Expr>(kind, location); }

bool IsNumericConstant(const ast::Expr& e) {
  return e.kind == ast::ExprKind::kConstant &&
         (e.constant_kind == ast::ConstantKind::kInteger || e.constant_kind == ast::ConstantKind::kDecimal);
}

// The parse tree's children are read by position (the grammar fixes them):
// the generated accessors look children up with dynamic_cast, which was a
// fifth of the parse time of pgbench's statements.
antlr4::Token* TokenAt(antlr4::ParserRuleContext* ctx, size_t i) {
  return static_cast<TerminalNode*>(ctx->children[i])->getSymbol();
}

template <class T>
T* ChildAt(antlr4::ParserRuleContext* ctx, size_t i) {
  return static_cast<T*>(ctx->children[i]);
}

// IS [NOT] ...: whether the third child is NOT.
bool HasNotAt2(antlr4::ParserRuleContext* ctx) { return TokenAt(ctx, 2)->getType() == TP::NOT; }

}  // namespace

ast::ExprPtr AstBuilder::BuildExpr(TP::ExprContext* ctx) {
  CheckStackDepth();
  if (auto* p = dynamic_cast<TP::PredicateContext*>(ctx)) return BuildPredicate(p);
  if (auto* c = dynamic_cast<TP::CompareAnyContext*>(ctx)) return BuildCompareAny(c);
  if (auto* c = dynamic_cast<TP::CompareContext*>(ctx)) {
    auto* left = ChildAt<TP::ExprContext>(c, 0);
    auto* op = ChildAt<TP::CompareOpContext>(c, 1)->getStart();
    // Comparison is non-associative in PostgreSQL: a = b = c is a syntax error.
    if (dynamic_cast<TP::CompareContext*>(left) != nullptr) {
      throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"" + op->getText() + "\"", {}, {}, Loc(op) + 1);
    }
    std::string text = op->getText();
    if (text == "!=") text = "<>";
    return ast::MakeBinary(std::move(text), BuildExpr(left), BuildExpr(ChildAt<TP::ExprContext>(c, 2)), Loc(op));
  }
  if (dynamic_cast<TP::AndContext*>(ctx) != nullptr || dynamic_cast<TP::OrContext*>(ctx) != nullptr) {
    return BuildLogicChain(ctx);
  }
  if (dynamic_cast<TP::NotContext*>(ctx) != nullptr) {
    return ast::MakeUnary("not", BuildExpr(ChildAt<TP::ExprContext>(ctx, 1)), Loc(ctx));
  }
  ast::ExprPtr operand = BuildExpr(ChildAt<TP::ExprContext>(ctx, 0));
  int loc = Loc(TokenAt(ctx, 1));
  if (dynamic_cast<TP::IsNullContext*>(ctx) != nullptr || dynamic_cast<TP::IsNullShortContext*>(ctx) != nullptr) {
    auto e = MakeExpr(ast::ExprKind::kIsNull, loc);
    size_t type = TokenAt(ctx, 1)->getType();
    e->negated = type == TP::NOTNULL || (type == TP::IS && HasNotAt2(ctx));
    e->args.push_back(std::move(operand));
    return e;
  }
  if (dynamic_cast<TP::IsBoolContext*>(ctx) != nullptr) {
    auto e = MakeExpr(ast::ExprKind::kBoolTest, loc);
    e->negated = HasNotAt2(ctx);
    e->bool_test = LowerAscii(ctx->getStop()->getText());
    e->args.push_back(std::move(operand));
    return e;
  }
  auto e = MakeExpr(ast::ExprKind::kDistinctFrom, loc);  // IS [NOT] DISTINCT FROM
  e->negated = HasNotAt2(ctx);
  e->args.push_back(std::move(operand));
  e->args.push_back(BuildExpr(ChildAt<TP::ExprContext>(ctx, ctx->children.size() - 1)));
  return e;
}

ast::ExprPtr AstBuilder::BuildPredicate(TP::PredicateContext* ctx) {
  ast::ExprPtr left = BuildBExpr(ChildAt<TP::BExprContext>(ctx, 0));
  if (ctx->children.size() == 1) return left;
  auto* suffix = ChildAt<TP::PredicateSuffixContext>(ctx, 1);
  if (auto* b = dynamic_cast<TP::BetweenSuffixContext*>(suffix)) {
    auto e = MakeExpr(ast::ExprKind::kBetween, Loc(b->BETWEEN()->getSymbol()));
    e->negated = b->NOT() != nullptr;
    e->between_symmetric = b->SYMMETRIC() != nullptr;
    e->args.push_back(std::move(left));
    e->args.push_back(BuildBExpr(b->bExpr(0)));
    e->args.push_back(BuildBExpr(b->bExpr(1)));
    return e;
  }
  if (auto* in = dynamic_cast<TP::InListSuffixContext*>(suffix)) {
    auto e = MakeExpr(ast::ExprKind::kInList, Loc(in->IN()->getSymbol()));
    e->negated = in->NOT() != nullptr;
    e->args.push_back(std::move(left));
    for (auto& item : BuildExprList(in->exprList())) e->args.push_back(std::move(item));
    return e;
  }
  if (auto* in = dynamic_cast<TP::InSubquerySuffixContext*>(suffix)) {
    auto e = MakeExpr(ast::ExprKind::kInSubquery, Loc(in->IN()->getSymbol()));
    e->negated = in->NOT() != nullptr;
    e->args.push_back(std::move(left));
    e->subquery = BuildSelect(in->selectStmt());
    return e;
  }
  auto* like = static_cast<TP::LikeSuffixContext*>(suffix);
  std::string op = like->LIKE() != nullptr ? "like" : "ilike";
  if (like->NOT() != nullptr) op = "not " + op;
  auto* op_token = like->LIKE() != nullptr ? like->LIKE()->getSymbol() : like->ILIKE()->getSymbol();
  ast::ExprPtr pattern = BuildBExpr(like->bExpr(0));
  if (like->ESCAPE() != nullptr) {
    // As PostgreSQL does: x LIKE p ESCAPE e is x LIKE like_escape(p, e).
    std::vector<ast::ExprPtr> args;
    args.push_back(std::move(pattern));
    args.push_back(BuildBExpr(like->bExpr(1)));
    pattern = ast::MakeFuncCall("like_escape", std::move(args), Loc(like->ESCAPE()->getSymbol()));
  }
  return ast::MakeBinary(std::move(op), std::move(left), std::move(pattern), Loc(op_token));
}

// `a AND b AND c ...` (or OR) as one n-ary node: ORMs send thousands of
// terms, and a left-deep chain that deep would make every later walk
// recurse once per term. The parse tree's chain is walked iteratively.
ast::ExprPtr AstBuilder::BuildLogicChain(TP::ExprContext* ctx) {
  const size_t op_type = TokenAt(ctx, 1)->getType();
  const bool is_and = op_type == TP::AND;
  auto same_op = [&](TP::ExprContext* c) {
    return (is_and ? dynamic_cast<TP::AndContext*>(c) != nullptr : dynamic_cast<TP::OrContext*>(c) != nullptr);
  };
  auto e = MakeExpr(ast::ExprKind::kBinary, Loc(TokenAt(ctx, 1)));
  e->op = is_and ? "and" : "or";
  // Right operands from the top down, then the leftmost: reversed below.
  std::vector<TP::ExprContext*> operands;
  TP::ExprContext* node = ctx;
  while (same_op(node)) {
    operands.push_back(ChildAt<TP::ExprContext>(node, 2));
    node = ChildAt<TP::ExprContext>(node, 0);
  }
  operands.push_back(node);
  for (auto it = operands.rbegin(); it != operands.rend(); ++it) {
    ast::ExprPtr operand = BuildExpr(*it);
    // A parenthesised chain of the same operator is the same chain: (a OR b) OR c.
    if (operand->kind == ast::ExprKind::kBinary && operand->op == e->op) {
      for (auto& a : operand->args) e->args.push_back(std::move(a));
    } else {
      e->args.push_back(std::move(operand));
    }
  }
  return e;
}

// Left-associative binary operators (`1 + 2 + 3 ...`, `a || b || ...`):
// the parse tree's left spine is walked iteratively, so only the later
// walks over the tree recurse (with stack-depth checks).
ast::ExprPtr AstBuilder::BuildBinaryChain(TP::BExprContext* ctx) {
  auto is_binary = [](TP::BExprContext* c) { return dynamic_cast<TP::BinaryContext*>(c) != nullptr; };
  std::vector<TP::BExprContext*> spine;  // binary nodes, top down
  TP::BExprContext* node = ctx;
  while (is_binary(node)) {
    spine.push_back(node);
    node = ChildAt<TP::BExprContext>(node, 0);
  }
  ast::ExprPtr left = BuildBExpr(node);
  for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
    TP::BExprContext* b = *it;
    antlr4::Token* op = nullptr;
    if (auto* qualified = dynamic_cast<TP::QualifiedOperatorContext*>(b->children[1])) {
      // OPERATOR(schema.op) is the operator itself; the schema is pg_catalog.
      op = TokenAt(qualified, qualified->children.size() - 2);
    } else {
      op = TokenAt(b, 1);
    }
    left = ast::MakeBinary(op->getText(), std::move(left), BuildBExpr(ChildAt<TP::BExprContext>(b, 2)), Loc(op));
  }
  return left;
}

ast::ExprPtr AstBuilder::BuildBExpr(TP::BExprContext* ctx) {
  CheckStackDepth();
  if (ctx->children.size() == 1) return BuildPrimary(ChildAt<TP::PrimaryExprContext>(ctx, 0));
  if (dynamic_cast<TP::BinaryContext*>(ctx) != nullptr) return BuildBinaryChain(ctx);
  if (auto* s = dynamic_cast<TP::SubscriptContext*>(ctx)) return BuildSubscript(s);
  if (ctx->children.size() == 2) {  // unary + or -
    ast::ExprPtr operand = BuildBExpr(ChildAt<TP::BExprContext>(ctx, 1));
    if (TokenAt(ctx, 0)->getType() == TP::PLUS) return ast::MakeUnary("+", std::move(operand), Loc(ctx));
    // PostgreSQL folds a minus into a numeric literal, so -2147483648 is an
    // int4 constant rather than the negation of an out-of-range one.
    if (IsNumericConstant(*operand) && operand->text[0] != '-') {
      operand->text.insert(0, 1, '-');
      operand->location = Loc(ctx);
      return operand;
    }
    return ast::MakeUnary("-", std::move(operand), Loc(ctx));
  }
  ast::ExprPtr left = BuildBExpr(ChildAt<TP::BExprContext>(ctx, 0));
  if (auto* qualified = dynamic_cast<TP::QualifiedOperatorContext*>(ctx->children[1])) {
    // OPERATOR(schema.op) is the operator itself; the schema is pg_catalog.
    auto* op = TokenAt(qualified, qualified->children.size() - 2);
    return ast::MakeBinary(op->getText(), std::move(left), BuildBExpr(ChildAt<TP::BExprContext>(ctx, 2)), Loc(op));
  }
  auto* op = TokenAt(ctx, 1);
  // COLLATE is accepted and ignored: every comparison uses the C collation.
  if (op->getType() == TP::COLLATE) return left;
  if (op->getType() == TP::TYPECAST) {
    return ast::MakeCast(std::move(left), BuildTypeName(ChildAt<TP::TypeNameContext>(ctx, 2)), Loc(op));
  }
  return ast::MakeBinary(op->getText(), std::move(left), BuildBExpr(ChildAt<TP::BExprContext>(ctx, 2)), Loc(op));
}

ast::ExprPtr AstBuilder::BuildPrimary(TP::PrimaryExprContext* ctx) {
  int loc = Loc(ctx);
  if (auto* c = dynamic_cast<TP::ColumnRefExprContext*>(ctx)) {
    auto* ref = c->columnRef();
    std::vector<std::string> names;
    names.push_back(Identifier(ref->identifier()));
    for (auto* label : ref->colLabel()) names.push_back(ColLabel(label));
    if (ref->STAR() != nullptr) names.emplace_back("*");
    return ast::MakeColumnRef(std::move(names), loc);
  }
  if (auto* c = dynamic_cast<TP::ConstantExprContext*>(ctx)) return BuildConstant(c->constant());
  if (auto* c = dynamic_cast<TP::ParamExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kParam, loc);
    std::string digits = c->PARAM()->getText().substr(1);
    if (digits.size() > 9) throw SqlError(sqlstate::kSyntaxError, "parameter number too large", {}, {}, loc + 1);
    e->param_number = std::stoi(digits);
    return e;
  }
  if (auto* c = dynamic_cast<TP::FuncExprContext*>(ctx)) {
    ast::ExprPtr call = BuildFuncApplication(c->funcApplication());
    if (c->overClause() != nullptr) call->over = BuildOverClause(c->overClause());
    return call;
  }
  if (auto* c = dynamic_cast<TP::ParenExprContext*>(ctx)) {
    auto items = c->expr();
    if (items.size() == 1) return BuildExpr(items[0]);
    auto e = MakeExpr(ast::ExprKind::kRow, loc);
    for (auto* item : items) e->args.push_back(BuildExpr(item));
    return e;
  }
  if (auto* c = dynamic_cast<TP::SpecialFuncExprContext*>(ctx)) return BuildSpecialFunc(c->specialFunc());
  if (auto* c = dynamic_cast<TP::SubqueryExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kSubquery, loc);
    e->subquery = BuildSelect(c->selectStmt());
    return e;
  }
  if (auto* c = dynamic_cast<TP::ExistsExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kExists, loc);
    e->subquery = BuildSelect(c->selectStmt());
    return e;
  }
  if (auto* c = dynamic_cast<TP::CaseExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kCase, loc);
    e->args.push_back(nullptr);
    // The operand is the expr before the first WHEN; ELSE's expr is the last.
    auto exprs = c->expr();
    size_t operand_count = exprs.size() - (c->ELSE() != nullptr ? 1 : 0);
    if (operand_count == 1) e->args[0] = BuildExpr(exprs[0]);
    for (auto* when : c->caseWhen()) {
      e->args.push_back(BuildExpr(when->expr(0)));
      e->args.push_back(BuildExpr(when->expr(1)));
    }
    if (c->ELSE() != nullptr) e->case_else = BuildExpr(exprs.back());
    return e;
  }
  if (auto* c = dynamic_cast<TP::CastExprContext*>(ctx)) {
    return ast::MakeCast(BuildExpr(c->expr()), BuildTypeName(c->typeName()), loc);
  }
  if (auto* c = dynamic_cast<TP::TypedLiteralExprContext*>(ctx)) {
    auto* str = c->stringConst();
    auto literal = ast::MakeConstant(ast::ConstantKind::kString, StringConst(str), Loc(str));
    return ast::MakeCast(std::move(literal), BuildSimpleTypeName(c->simpleTypeName()), loc);
  }
  if (auto* c = dynamic_cast<TP::ArrayExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kArray, loc);
    if (c->exprList() != nullptr) e->args = BuildExprList(c->exprList());
    return e;
  }
  if (auto* c = dynamic_cast<TP::ArraySubqueryExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kArraySubquery, loc);
    e->subquery = BuildSelect(c->selectStmt());
    return e;
  }
  if (auto* c = dynamic_cast<TP::RowExprContext*>(ctx)) {
    auto e = MakeExpr(ast::ExprKind::kRow, loc);
    if (c->exprList() != nullptr) e->args = BuildExprList(c->exprList());
    return e;
  }
  return MakeExpr(ast::ExprKind::kDefault, loc);  // DEFAULT
}

ast::ExprPtr AstBuilder::BuildConstant(TP::ConstantContext* ctx) {
  antlr4::Token* token = ctx->getStart();
  int loc = Loc(token);
  switch (token->getType()) {
    case TP::INTEGER:
      return ast::MakeConstant(ast::ConstantKind::kInteger, token->getText(), loc);
    case TP::DECIMAL:
      return ast::MakeConstant(ast::ConstantKind::kDecimal, token->getText(), loc);
    case TP::TRUE_P:
      return ast::MakeConstant(ast::ConstantKind::kBool, "t", loc);
    case TP::FALSE_P:
      return ast::MakeConstant(ast::ConstantKind::kBool, "f", loc);
    case TP::NULL_P:
      return ast::MakeConstant(ast::ConstantKind::kNull, "", loc);
    case TP::BIT_STRING: {
      std::string text = token->getText();
      return ast::MakeConstant(ast::ConstantKind::kBitString, text.substr(2, text.size() - 3), loc);
    }
    case TP::HEX_STRING: {
      // X'1F' is the bit string 00011111.
      std::string text = token->getText();
      std::string bits;
      for (size_t i = 2; i + 1 < text.size(); ++i) {
        char c = text[i];
        int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        for (int b = 3; b >= 0; --b) bits += ((v >> b) & 1) ? '1' : '0';
      }
      return ast::MakeConstant(ast::ConstantKind::kBitString, std::move(bits), loc);
    }
    default:
      return ast::MakeConstant(ast::ConstantKind::kString, StringConst(ctx->stringConst()), loc);
  }
}

std::vector<ast::ExprPtr> AstBuilder::BuildExprList(TP::ExprListContext* ctx) {
  std::vector<ast::ExprPtr> out;
  if (ctx == nullptr) return out;
  auto items = ctx->expr();
  out.reserve(items.size());
  for (auto* item : items) out.push_back(BuildExpr(item));
  return out;
}

}  // namespace tessera
