// pg_get_viewdef's text for the simple shapes (view_definition.h), after
// PostgreSQL 15's ruleutils.c: get_basic_select_query, get_target_list,
// get_from_clause and appendContextKeyword with PRETTY_INDENT and a wrap
// column of 0 (every select-list entry on its own line).
#include "parser/ast/view_definition.h"

#include <cctype>
#include <unordered_set>

#include "common/stack_depth.h"

namespace tessera::ast {

std::string QuoteIdentifier(const std::string& name) {
  // Reserved and type_func_name keywords (TesseraParser.g4); the others may be bare names.
  // clang-format off
  static const std::unordered_set<std::string> kKeywords = {
      "collate", "all", "and", "analyze", "any", "as", "asc", "both", "case", "cast", "check", "column",
      "constraint", "create", "current_date", "current_time", "current_timestamp", "current_user", "default",
      "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign", "from", "group",
      "having", "in", "intersect", "into", "leading", "limit", "localtime", "localtimestamp", "not", "null",
      "offset", "on", "only", "or", "order", "primary", "references", "returning", "select", "session_user",
      "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique", "user", "using", "when",
      "where", "with", "cross", "full", "ilike", "inner", "is", "isnull", "join", "left", "like", "natural",
      "notnull", "outer", "right", "verbose", "between", "exists", "row", "values"};
  // clang-format on
  bool plain = !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name)
    plain = plain &&
            (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
  if (plain && !kKeywords.contains(name)) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

namespace {

constexpr int kIndentStd = 8;  // PRETTYINDENT_STD
constexpr int kIndentJoin = 4;
constexpr int kIndentVar = 4;

// PostgreSQL's format_type name of a type as written; empty when unknown here.
std::string CanonicalTypeName(const TypeName& t) {
  if (t.is_array) return {};
  auto mods = [&t] {
    std::string out;
    for (size_t i = 0; i < t.modifiers.size(); ++i) out += (i ? "," : "(") + std::to_string(t.modifiers[i]);
    return t.modifiers.empty() ? out : out + ")";
  };
  const std::string& n = t.name;
  if (!t.modifiers.empty() && n != "varchar" && n != "character varying" && n != "numeric" && n != "decimal") return {};
  if (n == "int" || n == "integer" || n == "int4") return "integer";
  if (n == "int8" || n == "bigint") return "bigint";
  if (n == "int2" || n == "smallint") return "smallint";
  if (n == "text" || n == "date") return n;
  if (n == "bool" || n == "boolean") return "boolean";
  if (n == "float8" || n == "double precision" || n == "float") return "double precision";
  if (n == "float4" || n == "real") return "real";
  if (n == "varchar" || n == "character varying") return "character varying" + mods();
  if (n == "numeric" || n == "decimal") return "numeric" + mods();
  if (n == "timestamp" || n == "timestamp without time zone") return "timestamp without time zone";
  if (n == "timestamptz" || n == "timestamp with time zone") return "timestamp with time zone";
  return {};
}

class ViewPrinter {
 public:
  ViewPrinter(const SelectStmt& q, const std::vector<std::string>& columns, bool pretty)
      : q_(q), columns_(columns), pretty_(pretty) {}

  bool Print(std::string* out) {
    if (q_.with || q_.set_op != SetOpKind::kNone || !q_.values.empty() || !q_.distinct_on.empty() || q_.from.empty())
      return false;
    indent_ = kIndentStd;
    buf_ = " SELECT";
    if (q_.distinct) buf_ += " DISTINCT";
    for (size_t i = 0; i < q_.targets.size(); ++i) {
      if (i == 0) {
        buf_ += " ";
      } else {
        buf_ += ",";
        Keyword("", -kIndentStd, kIndentStd, kIndentVar);
      }
      const SelectTarget& t = q_.targets[i];
      buf_ += Expr(*t.expr, {});
      if (i >= columns_.size()) return false;
      bool is_column = t.expr->kind == ExprKind::kColumnRef && t.expr->names.back() != "*";
      if (!is_column || t.expr->names.back() != columns_[i]) buf_ += " AS " + QuoteIdentifier(columns_[i]);
    }
    Keyword(" FROM ", -kIndentStd, kIndentStd, 2);
    for (size_t i = 0; i < q_.from.size(); ++i) {
      if (i > 0) {
        buf_ += ",";
        Keyword("", -kIndentStd, kIndentStd, kIndentVar);
      }
      FromItem(*q_.from[i]);
    }
    if (q_.where) {
      Keyword(" WHERE ", -kIndentStd, kIndentStd, 1);
      buf_ += Expr(*q_.where, {});
    }
    if (!q_.group_by.empty()) {
      Keyword(" GROUP BY ", -kIndentStd, kIndentStd, 1);
      for (size_t i = 0; i < q_.group_by.size(); ++i)
        buf_ += (i ? ", " : "") + Expr(Resolve(*q_.group_by[i], false), {});
    }
    if (q_.having) {
      Keyword(" HAVING ", -kIndentStd, kIndentStd, 0);
      buf_ += Expr(*q_.having, {});
    }
    if (!q_.order_by.empty()) {
      Keyword(" ORDER BY ", -kIndentStd, kIndentStd, 1);
      for (size_t i = 0; i < q_.order_by.size(); ++i) {
        const OrderItem& o = q_.order_by[i];
        buf_ += (i ? ", " : "") + Expr(Resolve(*o.expr, true), {});
        if (o.descending) buf_ += " DESC";
        if (o.nulls_first && *o.nulls_first != o.descending) buf_ += *o.nulls_first ? " NULLS FIRST" : " NULLS LAST";
      }
    }
    if (q_.offset) {
      Keyword(" OFFSET ", -kIndentStd, kIndentStd, 0);
      buf_ += Expr(*q_.offset, {});
    }
    if (q_.limit) {
      Keyword(" LIMIT ", -kIndentStd, kIndentStd, 0);
      buf_ += Expr(*q_.limit, {});
    }
    if (!ok_) return false;
    *out = buf_ + ";";
    return true;
  }

 private:
  // appendContextKeyword: trailing spaces go, then a new line indented.
  void Keyword(const std::string& word, int before, int after, int plus) {
    indent_ += before;
    while (!buf_.empty() && buf_.back() == ' ') buf_.pop_back();
    buf_ += "\n" + std::string(static_cast<size_t>(std::max(indent_, 0) + plus), ' ') + word;
    indent_ = std::max(indent_ + after, 0);
  }

  // GROUP BY / ORDER BY name a select-list entry by position or by its name.
  // `order_by`: a bare name is an output column's first (what binding the
  // stored text found), else both look for an alias.
  const ast::Expr& Resolve(const ast::Expr& e, bool order_by) {
    if (e.kind == ExprKind::kConstant && e.constant_kind == ConstantKind::kInteger) {
      size_t n = std::stoul(e.text);
      if (n >= 1 && n <= q_.targets.size()) return *q_.targets[n - 1].expr;
    }
    if (e.kind != ExprKind::kColumnRef || e.names.size() != 1) return e;
    for (const SelectTarget& t : q_.targets) {
      std::string name = t.alias;
      if (name.empty() && order_by && t.expr->kind == ExprKind::kColumnRef) name = t.expr->names.back();
      if (name == e.names[0]) return *t.expr;
    }
    return e;
  }

  void FromItem(const TableRef& ref) {
    CheckStackDepth();
    if (!ref.column_aliases.empty()) {
      ok_ = false;
      return;
    }
    if (ref.kind == TableRefKind::kTable) {
      if (!ref.table.schema.empty() && ref.table.schema != "public") buf_ += QuoteIdentifier(ref.table.schema) + ".";
      buf_ += QuoteIdentifier(ref.table.name);
      if (!ref.alias.empty() && ref.alias != ref.table.name) buf_ += " " + QuoteIdentifier(ref.alias);
      return;
    }
    if (ref.kind != TableRefKind::kJoin || ref.natural || !ref.alias.empty()) {
      ok_ = false;
      return;
    }
    if (!pretty_) buf_ += "(";
    FromItem(*ref.left);
    const char* word = " JOIN ";
    switch (ref.join_type) {
      case JoinType::kInner:
        word = ref.join_condition || !ref.using_columns.empty() ? " JOIN " : " CROSS JOIN ";
        break;
      case JoinType::kLeft:
        word = " LEFT JOIN ";
        break;
      case JoinType::kRight:
        word = " RIGHT JOIN ";
        break;
      case JoinType::kFull:
        word = " FULL JOIN ";
        break;
      case JoinType::kCross:
        word = " CROSS JOIN ";
        break;
    }
    Keyword(word, -kIndentStd, kIndentStd, kIndentJoin);
    FromItem(*ref.right);
    if (!ref.using_columns.empty()) {
      buf_ += " USING (";
      for (size_t i = 0; i < ref.using_columns.size(); ++i)
        buf_ += (i ? ", " : "") + QuoteIdentifier(ref.using_columns[i]);
      buf_ += ")";
    } else if (ref.join_condition) {
      std::string on = Expr(*ref.join_condition, {});
      buf_ += pretty_ ? " ON " + on : " ON (" + on + ")";
    }
    if (!pretty_) buf_ += ")";
  }

  std::string Args(const std::vector<ExprPtr>& args, size_t from = 0) {
    std::string out;
    for (size_t i = from; i < args.size(); ++i) out += (i > from ? ", " : "") + (args[i] ? Expr(*args[i], {}) : Fail());
    return out;
  }

  std::string Fail() {
    ok_ = false;
    return {};
  }

  static std::string Operator(const std::string& op) {
    if (op == "and") return "AND";
    if (op == "or") return "OR";
    if (op == "like") return "~~";
    if (op == "not like") return "!~~";
    if (op == "ilike") return "~~*";
    if (op == "not ilike") return "!~~*";
    return op;
  }

  std::string Constant(const ast::Expr& e, bool negative) {
    switch (e.constant_kind) {
      case ConstantKind::kBool:
        return negative ? Fail() : e.text == "t" ? "true" : "false";
      case ConstantKind::kInteger:
      case ConstantKind::kDecimal: {
        if (!negative) return e.text;
        // A negative number prints as a quoted constant, so that it reads back as one.
        if (e.constant_kind == ConstantKind::kDecimal) return "'-" + e.text + "'::numeric";
        if (e.text.size() > 18) return Fail();
        int64_t v = std::stoll(e.text);
        return "'-" + e.text + "'::" + (v <= 2147483648LL ? "integer" : "bigint");
      }
      default:
        return Fail();  // strings and NULL: PostgreSQL prints their type, unknown here
    }
  }

  std::string Function(const ast::Expr& e) {
    static const std::unordered_set<std::string> kUpper = {"coalesce", "nullif", "greatest", "least"};
    if (e.over) return Fail();  // window functions: the stored text
    if (e.subquery) return Fail();  // agg(x ORDER BY k) (build_special_func.cpp): the stored text
    if (e.func_star) return e.func_name + "(*)";
    if (e.func_name.find('.') != std::string::npos) return Fail();
    std::string name = e.func_name;
    if (kUpper.contains(name))
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    else
      name = QuoteIdentifier(name);
    return name + "(" + (e.func_distinct ? "DISTINCT " : "") + Args(e.args) + ")";
  }

  // What an expression is printed under, for PRETTY_PAREN (ruleutils.c's
  // isSimpleNode); kTop: a clause, a select-list entry or a call's argument.
  struct Parent {
    enum class Kind : uint8_t { kTop, kOperator, kAnd, kOr, kNot, kCast };
    Kind kind = Kind::kTop;
    std::string op;      // kOperator
    bool first = false;  // kOperator: the left operand
  };
  // The kinds of node that print their own parentheses without pretty.
  enum class Node : uint8_t { kOperator, kPrefix, kAnd, kOr, kNot, kTest, kArrayOp };

  static int Priority(const std::string& op) {
    if (op == "+" || op == "-") return 1;
    if (op == "*" || op == "/" || op == "%") return 2;
    return 0;
  }

  // PostgreSQL's isSimpleNode for the nodes printed here.
  static bool Simple(Node node, const std::string& op, const Parent& parent) {
    using K = Parent::Kind;
    bool under_bool = parent.kind == K::kAnd || parent.kind == K::kOr || parent.kind == K::kNot;
    switch (node) {
      case Node::kOperator:
        if (parent.kind == K::kOperator) {
          int mine = Priority(op), theirs = Priority(parent.op);
          if (mine == 0 || theirs == 0) return false;
          return mine != theirs ? mine > theirs : parent.first;
        }
        return under_bool;
      case Node::kPrefix:
      case Node::kTest:
        return under_bool;
      case Node::kAnd:
      case Node::kNot:
        return parent.kind == K::kAnd || parent.kind == K::kOr;
      case Node::kOr:
        return parent.kind == K::kOr;
      case Node::kArrayOp:
        return false;
    }
    return false;
  }

  std::string Wrap(std::string text, Node node, const Parent& parent, const std::string& op = {}) {
    bool paren = !pretty_ || (parent.kind != Parent::Kind::kTop && !Simple(node, op, parent));
    return paren ? "(" + text + ")" : text;
  }

  std::string Operand(const ast::Expr& e, Parent::Kind kind, const std::string& op = {}, bool first = false) {
    return Expr(e, Parent{kind, op, first});
  }

  std::string Expr(const ast::Expr& e, const Parent& parent) {
    CheckStackDepth();
    using K = Parent::Kind;
    const std::string kNot = e.negated ? " NOT" : "";
    switch (e.kind) {
      case ExprKind::kConstant:
        return Constant(e, false);
      case ExprKind::kColumnRef: {
        std::string out;
        for (size_t i = 0; i < e.names.size(); ++i) {
          if (e.names[i] == "*") return Fail();
          out += (i ? "." : "") + QuoteIdentifier(e.names[i]);
        }
        return out;
      }
      case ExprKind::kUnary:
        if (e.op == "-" && e.args[0]->kind == ExprKind::kConstant) return Constant(*e.args[0], true);
        if (e.op == "not") return Wrap("NOT " + Operand(*e.args[0], K::kNot), Node::kNot, parent);
        return Wrap(e.op + " " + Operand(*e.args[0], K::kOperator), Node::kPrefix, parent);
      case ExprKind::kBinary: {
        bool logic = e.op == "and" || e.op == "or";
        K kind = !logic ? K::kOperator : e.op == "and" ? K::kAnd : K::kOr;
        std::string out = Operand(*e.args[0], kind, e.op, true);
        for (size_t i = 1; i < e.args.size(); ++i)
          out += " " + Operator(e.op) + " " + Operand(*e.args[i], kind, e.op, false);
        return Wrap(out, !logic ? Node::kOperator : e.op == "and" ? Node::kAnd : Node::kOr, parent, e.op);
      }
      case ExprKind::kFuncCall:
        return Function(e);
      case ExprKind::kCast: {
        std::string type = CanonicalTypeName(e.cast_type);
        if (type.empty() || e.args[0]->kind == ExprKind::kConstant) return Fail();
        std::string arg = Operand(*e.args[0], K::kCast);
        return (pretty_ ? arg : "(" + arg + ")") + "::" + type;
      }
      case ExprKind::kIsNull:
        return Wrap(Operand(*e.args[0], K::kOperator) + " IS" + kNot + " NULL", Node::kTest, parent);
      case ExprKind::kBoolTest: {
        std::string test = e.bool_test;
        for (char& c : test) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return Wrap(Operand(*e.args[0], K::kOperator) + " IS" + kNot + " " + test, Node::kTest, parent);
      }
      case ExprKind::kBetween: {
        if (e.between_symmetric) return Fail();
        // PostgreSQL keeps BETWEEN as the two comparisons it stands for.
        K kind = e.negated ? K::kOr : K::kAnd;
        std::string x = Operand(*e.args[0], K::kOperator, e.negated ? "<" : ">=", true);
        std::string low = Wrap(x + (e.negated ? " < " : " >= ") + Operand(*e.args[1], K::kOperator), Node::kOperator,
                               Parent{kind, {}, true}, e.negated ? "<" : ">=");
        std::string x2 = Operand(*e.args[0], K::kOperator, e.negated ? ">" : "<=", true);
        std::string high = Wrap(x2 + (e.negated ? " > " : " <= ") + Operand(*e.args[2], K::kOperator), Node::kOperator,
                                Parent{kind, {}, false}, e.negated ? ">" : "<=");
        return Wrap(low + (e.negated ? " OR " : " AND ") + high, e.negated ? Node::kOr : Node::kAnd, parent);
      }
      case ExprKind::kInList: {
        std::string x = Operand(*e.args[0], K::kOperator);
        if (e.args.size() == 2)
          return Wrap(x + (e.negated ? " <> " : " = ") + Operand(*e.args[1], K::kOperator), Node::kOperator, parent,
                      e.negated ? "<>" : "=");
        return Wrap(x + (e.negated ? " <> ALL (ARRAY[" : " = ANY (ARRAY[") + Args(e.args, 1) + "])", Node::kArrayOp,
                    parent);
      }
      case ExprKind::kDistinctFrom:
        return Wrap(
            Operand(*e.args[0], K::kOperator) + " IS" + kNot + " DISTINCT FROM " + Operand(*e.args[1], K::kOperator),
            Node::kTest, parent);
      default:
        return Fail();
    }
  }

  const SelectStmt& q_;
  const std::vector<std::string>& columns_;
  bool pretty_ = false;
  std::string buf_;
  int indent_ = 0;
  bool ok_ = true;
};

}  // namespace

std::string ViewDefinitionText(const SelectStmt& query, const std::vector<std::string>& columns,
                               const std::string& stored_text, bool pretty) {
  std::string out;
  if (ViewPrinter(query, columns, pretty).Print(&out)) return out;
  return " " + stored_text + ";";
}

}  // namespace tessera::ast
