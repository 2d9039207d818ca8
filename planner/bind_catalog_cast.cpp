// Casts to PostgreSQL's object-identifier alias types (regclass, regtype,
// regnamespace, regrole, regproc). Tessera has no separate types for them:
// a name cast to one ('t'::regclass) becomes the object's OID, typed oid,
// so it compares with oid columns as in PostgreSQL; an OID cast to one
// (c.oid::regclass) becomes the object's name as text, which is what
// PostgreSQL shows for it and what a further ::text gives. The difference
// shows only in pg_typeof and in comparing an OID cast to regclass with a
// number.
#include "catalog/system/snapshot_catalog_view.h"
#include "catalog/system/system_oids.h"
#include "common/error.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

bool IsRegType(const std::string& name) {
  std::string n = name.rfind("pg_catalog.", 0) == 0 ? name.substr(11) : name;
  return n == "regclass" || n == "regtype" || n == "regnamespace" || n == "regrole" || n == "regproc" ||
         n == "regprocedure";
}

std::string Bare(const std::string& name) { return name.rfind("pg_catalog.", 0) == 0 ? name.substr(11) : name; }

}  // namespace

bool IsRegTypeName(const std::string& name) { return IsRegType(name); }

// 'name'::regnamespace: the schema's OID, found now (Tessera's three
// schemas never change, so only a constant name is needed: pg_dump writes
// 'pg_catalog'::regnamespace).
ExprRef Binder::NamespaceConstant(ExprRef arg, int location) {
  if (!arg->IsConstant())
    throw SqlError::FeatureNotSupported("casts from text to regnamespace are only supported for constants");
  if (arg->value.IsNull()) return MakeConstantExpr(Value::Null(Type::Of(TypeId::kOid)));
  std::string name = arg->value.GetString();
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  uint32_t oid = catalog::system::NamespaceOid(name);
  if (catalog::system::NamespaceName(oid) != name)
    throw SqlError("3F000", "schema \"" + name + "\" does not exist", {}, {}, location + 1);
  return MakeConstantExpr(Value::Int8(oid).CastTo(Type::Of(TypeId::kOid)));
}

ExprRef Binder::BindRegCast(const std::string& type_name, ExprRef arg, int location) {
  std::string type = Bare(type_name);
  bool from_name = IsStringType(arg->type.id);
  if (!from_name && !IsIntegerType(arg->type.id) && arg->type.id != TypeId::kOid)
    throw SqlError(sqlstate::kCannotCoerce,
                   "cannot cast type " + FormatType(arg->type) + " to " + type, {}, {}, location + 1);
  if (from_name) arg = Coerce(arg, Type::Of(TypeId::kText), kCastImplicit);
  else arg = Coerce(arg, Type::Of(TypeId::kOid), kCastExplicit);
  std::string function;
  if (type == "regclass") function = from_name ? "regclassin" : "regclassout";
  else if (type == "regtype") function = from_name ? "" : "regtypeout";
  else if (type == "regnamespace") function = from_name ? "" : "regnamespaceout";
  else if (type == "regrole") function = from_name ? "" : "pg_get_userbyid";
  else if (type == "regproc") function = from_name ? "regprocin" : "regprocout";  // builtin_dump_functions.cpp
  if (type == "regnamespace" && from_name) return NamespaceConstant(arg, location);
  if (function.empty())
    throw SqlError::FeatureNotSupported("casts " + std::string(from_name ? "from text " : "from oid ") + "to " + type +
                                        " are not supported");
  ResolvedFunction resolved = ResolveFunction(function, {arg->type});
  auto call = std::make_shared<BoundExpr>();
  call->kind = BoundExprKind::kFunction;
  call->name = function;
  call->fn = resolved.overload;
  call->type = resolved.return_type;
  call->args = {arg};
  call->location = location;
  return Fold(call, location);
}

}  // namespace tessera::planner
