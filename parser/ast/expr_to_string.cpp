// SQL-like text of an expression, close to what PostgreSQL's ruleutils.c
// prints in EXPLAIN: binary operators parenthesised, literals quoted.
#include "common/stack_depth.h"
#include "parser/ast/expr.h"
#include "parser/ast/select_stmt.h"  // Expr owns a SelectStmt: complete type needed

namespace tessera::ast {

namespace {

std::string QuoteLiteral(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string TypeNameToString(const TypeName& type) {
  std::string out = type.name;
  if (!type.modifiers.empty()) {
    out += '(';
    for (size_t i = 0; i < type.modifiers.size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string(type.modifiers[i]);
    }
    out += ')';
  }
  if (type.is_array) out += "[]";
  return out;
}

std::string JoinArgs(const std::vector<ExprPtr>& args, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < args.size(); ++i) {
    if (i > from) out += ", ";
    out += args[i] ? ExprToString(*args[i]) : "NULL";
  }
  return out;
}

std::string OperatorText(const std::string& op) {
  if (op == "and") return "AND";
  if (op == "or") return "OR";
  if (op == "like") return "LIKE";
  if (op == "not like") return "NOT LIKE";
  if (op == "ilike") return "ILIKE";
  if (op == "not ilike") return "NOT ILIKE";
  return op;
}

std::string ConstantToString(const Expr& e) {
  switch (e.constant_kind) {
    case ConstantKind::kNull: return "NULL";
    case ConstantKind::kBool: return e.text == "t" ? "true" : "false";
    case ConstantKind::kString: return QuoteLiteral(e.text);
    case ConstantKind::kBitString: return "B'" + e.text + "'";
    default: return e.text;
  }
}

std::string CaseToString(const Expr& e) {
  std::string out = "CASE";
  if (!e.args.empty() && e.args[0]) out += " " + ExprToString(*e.args[0]);
  for (size_t i = 1; i + 1 < e.args.size(); i += 2) {
    out += " WHEN " + ExprToString(*e.args[i]) + " THEN " + ExprToString(*e.args[i + 1]);
  }
  if (e.case_else) out += " ELSE " + ExprToString(*e.case_else);
  return out + " END";
}

}  // namespace

std::string ExprToString(const Expr& e) {
  CheckStackDepth();
  const std::string kNot = e.negated ? " NOT" : "";
  switch (e.kind) {
    case ExprKind::kConstant:
      return ConstantToString(e);
    case ExprKind::kColumnRef: {
      std::string out;
      for (size_t i = 0; i < e.names.size(); ++i) out += (i > 0 ? "." : "") + e.names[i];
      return out;
    }
    case ExprKind::kParam:
      return "$" + std::to_string(e.param_number);
    case ExprKind::kUnary:
      if (e.op == "not") return "(NOT " + ExprToString(*e.args[0]) + ")";
      return "(" + e.op + " " + ExprToString(*e.args[0]) + ")";
    case ExprKind::kBinary: {  // AND and OR are n-ary (build_expr.cpp)
      std::string out = "(" + ExprToString(*e.args[0]);
      for (size_t i = 1; i < e.args.size(); ++i) out += " " + OperatorText(e.op) + " " + ExprToString(*e.args[i]);
      return out + ")";
    }
    case ExprKind::kFuncCall:
      if (e.func_star) return e.func_name + "(*)";
      return e.func_name + "(" + (e.func_distinct ? "DISTINCT " : "") + JoinArgs(e.args) + ")";
    case ExprKind::kCast:
      return ExprToString(*e.args[0]) + "::" + TypeNameToString(e.cast_type);
    case ExprKind::kIsNull:
      return "(" + ExprToString(*e.args[0]) + " IS" + kNot + " NULL)";
    case ExprKind::kBoolTest: {
      std::string test = e.bool_test;
      for (char& c : test) c = static_cast<char>(c - 'a' + 'A');
      return "(" + ExprToString(*e.args[0]) + " IS" + kNot + " " + test + ")";
    }
    case ExprKind::kBetween:
      return "(" + ExprToString(*e.args[0]) + kNot + " BETWEEN " + (e.between_symmetric ? "SYMMETRIC " : "") +
             ExprToString(*e.args[1]) + " AND " + ExprToString(*e.args[2]) + ")";
    case ExprKind::kInList:
      return "(" + ExprToString(*e.args[0]) + kNot + " IN (" + JoinArgs(e.args, 1) + "))";
    case ExprKind::kInSubquery:
      return "(" + ExprToString(*e.args[0]) + kNot + " IN (SELECT ...))";
    case ExprKind::kExists:
      return std::string(e.negated ? "NOT " : "") + "EXISTS(SELECT ...)";
    case ExprKind::kSubquery:
      return "(SELECT ...)";
    case ExprKind::kCase:
      return CaseToString(e);
    case ExprKind::kDistinctFrom:
      return "(" + ExprToString(*e.args[0]) + " IS" + kNot + " DISTINCT FROM " + ExprToString(*e.args[1]) + ")";
    case ExprKind::kDefault:
      return "DEFAULT";
    case ExprKind::kRow:
      return "ROW(" + JoinArgs(e.args) + ")";
    case ExprKind::kArray:
      return "ARRAY[" + JoinArgs(e.args) + "]";
    case ExprKind::kArraySubquery:
      return "ARRAY(SELECT ...)";
    case ExprKind::kSubscript: {
      auto bound = [&](size_t i) { return e.args[i] ? ExprToString(*e.args[i]) : std::string(); };
      return ExprToString(*e.args[0]) + "[" + bound(1) + (e.slice ? ":" + bound(2) : "") + "]";
    }
    case ExprKind::kAnyAll:
      return "(" + ExprToString(*e.args[0]) + " " + e.op + (e.quantifier_all ? " ALL (" : " ANY (") +
             ExprToString(*e.args[1]) + "))";
  }
  return "?";
}

}  // namespace tessera::ast
