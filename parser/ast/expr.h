// Parsed (unbound) expressions. The binder in planner/ resolves names and
// types; nothing here knows the catalog. `location` is the 0-based character
// offset of the expression in the statement text, for error positions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessera::ast {

struct Expr;
struct SelectStmt;
struct WindowSpec;  // window_spec.h
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind : uint8_t {
  kConstant,   // literal
  kColumnRef,  // a, t.a, s.t.a, t.*, *
  kParam,      // $n
  kUnary,      // - x, NOT x, + x
  kBinary,     // x op y, including AND/OR, comparison, arithmetic, ||, LIKE/ILIKE, ~~
  kFuncCall,   // f(args), count(*), count(DISTINCT x)
  kCast,       // x::type, CAST(x AS type), type 'literal'
  kIsNull,     // x IS [NOT] NULL
  kBoolTest,   // x IS [NOT] TRUE/FALSE/UNKNOWN
  kBetween,    // x [NOT] BETWEEN [SYMMETRIC] a AND b
  kInList,     // x [NOT] IN (a, b, ...)
  kInSubquery, // x [NOT] IN (SELECT ...)
  kExists,     // EXISTS (SELECT ...)
  kSubquery,   // (SELECT ...) as a scalar
  kCase,       // CASE [x] WHEN ... THEN ... ELSE ... END
  kDistinctFrom,  // x IS [NOT] DISTINCT FROM y
  kDefault,    // DEFAULT inside VALUES or SET
  kRow,        // ROW(a, b) or (a, b)
  kArray,      // ARRAY[a, b, ...]
  kArraySubquery,  // ARRAY(SELECT ...)
  kSubscript,  // x[i] or x[lo:hi] (either bound may be missing: a null arg)
  kAnyAll,     // x op ANY|SOME|ALL (array)
};

enum class ConstantKind : uint8_t { kNull, kBool, kInteger, kDecimal, kString, kBitString };

// A type as written: name words lower-cased and joined by one space
// ("character varying", "timestamp with time zone", "int4"), its modifiers,
// and whether it is an array (`int[]`, `int ARRAY`; sizes are ignored, as PostgreSQL does).
struct TypeName {
  std::string name;
  std::vector<int32_t> modifiers;
  bool is_array = false;
  int location = -1;
};

struct Expr {
  ExprKind kind;
  int location = -1;

  // kConstant: `text` holds the literal (integer/decimal digits as written,
  // string contents after unescaping, "t"/"f" for booleans).
  ConstantKind constant_kind = ConstantKind::kNull;
  std::string text;

  // kColumnRef: qualified name parts; a trailing "*" part means star.
  std::vector<std::string> names;

  // kParam: 1-based parameter number.
  int param_number = 0;

  // kUnary/kBinary: operator spelled lower-case as in SQL: "+", "-", "*", "/",
  // "%", "^", "||", "=", "<>" ("!=" is normalised to "<>"), "<", "<=", ">",
  // ">=", "and", "or", "not", "like", "not like", "ilike", "not ilike".
  std::string op;

  // kFuncCall: lower-cased function name (qualified names joined by '.').
  std::string func_name;
  bool func_star = false;      // count(*)
  bool func_distinct = false;  // agg(DISTINCT x)
  // f(...) OVER ...: the window (shared, immutable); null for a plain call.
  std::shared_ptr<const WindowSpec> over;

  // Operands. kUnary: [x]. kBinary: [l, r]. kFuncCall: args. kCast: [x].
  // kIsNull/kBoolTest: [x]. kBetween: [x, low, high]. kInList: [x, items...].
  // kInSubquery: [x]. kCase: [operand or null, when1, then1, when2, then2, ...]
  // with `case_else` separate. kDistinctFrom: [l, r]. kRow: fields.
  std::vector<ExprPtr> args;
  ExprPtr case_else;

  // kCast: the target type.
  TypeName cast_type;

  // kIsNull, kBoolTest, kBetween, kInList, kInSubquery, kDistinctFrom, kExists: negation.
  bool negated = false;
  // kBoolTest: "true", "false" or "unknown".
  std::string bool_test;
  bool between_symmetric = false;
  // kSubscript: a slice x[lo:hi]; args are [x, lo or null, hi or null].
  bool slice = false;
  // kAnyAll: `op` is the comparison, args [x, array]; true for ALL.
  bool quantifier_all = false;

  // kInSubquery, kExists, kSubquery.
  std::unique_ptr<SelectStmt> subquery;

  explicit Expr(ExprKind k, int loc = -1) : kind(k), location(loc) {}
  ~Expr();
};

ExprPtr MakeConstant(ConstantKind kind, std::string text, int location);
ExprPtr MakeColumnRef(std::vector<std::string> names, int location);
ExprPtr MakeBinary(std::string op, ExprPtr left, ExprPtr right, int location);
ExprPtr MakeUnary(std::string op, ExprPtr operand, int location);
ExprPtr MakeFuncCall(std::string name, std::vector<ExprPtr> args, int location);
ExprPtr MakeCast(ExprPtr operand, TypeName type, int location);
ExprPtr CloneExpr(const Expr& e);
// SQL-like text of the expression, for column names and EXPLAIN.
std::string ExprToString(const Expr& e);

}  // namespace tessera::ast
