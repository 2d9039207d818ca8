// The system functions PostgreSQL's clients call on catalog rows: regclass
// in and out, visibility, object definitions, owners, and the session
// facts psql and drivers ask for. Those that need the catalog ask the
// statement's CatalogView (common/catalog_view.h).
#include <cctype>

#include "common/builtin_registry.h"
#include "common/error.h"
#include "common/temp_schema.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kText = TypeId::kText, kOid = TypeId::kOid, kInt4 = TypeId::kInt4, kBool = TypeId::kBool;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

const CatalogView& Catalog(const Ctx& ctx, const char* function) {
  if (!ctx.catalog)
    throw SqlError::FeatureNotSupported(std::string(function) + "() cannot run where the catalog is not reachable");
  return *ctx.catalog;
}

int64_t OidArg(const Args& a, size_t i) { return a[i].GetInt(); }

Value OptionalText(const std::optional<std::string>& s) { return s ? Value::Text(*s) : Value::Null(Type::Of(kText)); }

// has_table_privilege, has_sequence_privilege, has_schema_privilege in all
// PostgreSQL's forms: ([role,] object, privileges), role and object each a
// name or an OID. Volatile, so the binder does not fold them: the answer
// depends on current_user and on the catalog when the statement runs.
void AddPrivilegeFunctions(std::vector<FunctionOverload>& out) {
  using K = PrivilegeQuestion::Kind;
  const std::pair<const char*, K> kFunctions[] = {
      {"has_table_privilege", K::kTable}, {"has_sequence_privilege", K::kSequence}, {"has_schema_privilege", K::kSchema}};
  for (const auto& [name, kind] : kFunctions) {
    for (int with_role = 0; with_role < 2; ++with_role) {
      for (TypeId role_type : {kText, kOid}) {
        if (!with_role && role_type == kOid) continue;
        for (TypeId object_type : {kText, kOid}) {
          std::vector<TypeId> args;
          if (with_role) args.push_back(role_type);
          args.push_back(object_type);
          args.push_back(kText);
          K k = kind;
          const char* fn = name;
          bool role_arg = with_role != 0;
          Add(out, name, args, kBool, [k, fn, role_arg](const Args& a, const Ctx& ctx) {
            PrivilegeQuestion q;
            q.kind = k;
            size_t i = 0;
            if (role_arg) {
              if (a[0].Id() == kOid) q.role_oid = a[0].GetInt();
              else q.role_name = a[0].GetString();
              i = 1;
            }
            if (a[i].Id() == kOid) q.object_oid = a[i].GetInt();
            else q.object_name = a[i].GetString();
            q.privileges = a[i + 1].GetString();
            std::optional<bool> held = Catalog(ctx, fn).HasPrivilege(q);
            return held ? Value::Bool(*held) : Value::Null(Type::Of(kBool));
          }, true);
        }
      }
    }
  }
}

// to_regclass-style lookup that fails as regclassin does.
int64_t RegclassIn(const std::string& name, const Ctx& ctx) {
  std::optional<int64_t> oid = Catalog(ctx, "regclass").RelationOid(name);
  if (!oid) throw SqlError::UndefinedTable(name);
  return *oid;
}

// format_type(type_oid, typmod): PostgreSQL's display name of a type.
Value FormatTypeFn(const Args& a, const Ctx&) {
  if (a[0].IsNull()) return Value::Null(Type::Of(kText));
  auto oid = static_cast<uint32_t>(a[0].GetInt());
  int32_t typmod = a[1].IsNull() ? -1 : static_cast<int32_t>(a[1].GetInt());
  if (oid == 18) return Value::Text("\"char\"");
  if (oid == 19) return Value::Text("name");
  static const uint32_t kKnown[] = {16, 17, 20, 21, 23, 25, 26, 700, 701, 705, 1042, 1043, 1082, 1114, 1184, 1700};
  if (oid == 1003) return Value::Text("name[]");
  if (IsArrayType(static_cast<TypeId>(oid))) return Value::Text(FormatType(Type{static_cast<TypeId>(oid), typmod}));
  for (uint32_t known : kKnown)
    if (known == oid) return Value::Text(FormatType(Type{static_cast<TypeId>(oid), typmod}));
  return Value::Text("???");
}

const char* EncodingName(int64_t encoding) {
  switch (encoding) {
    case 0: return "SQL_ASCII";
    case 6: return "UTF8";
    case 8: return "LATIN1";
    default: return "";
  }
}

// array_to_string over an array in its text form ('{a,b,"c d"}'): Tessera
// keeps the catalog's array columns as text in PostgreSQL's array syntax.
Value ArrayToString(const Args& a, const Ctx&) {
  const std::string& s = a[0].GetString();
  const std::string& sep = a[1].GetString();
  if (s.size() < 2 || s.front() != '{' || s.back() != '}')
    throw SqlError("22P02", "malformed array literal: \"" + s + "\"");
  std::string out, item;
  bool quoted = false, any = false, was_quoted = false;
  auto flush = [&] {
    if (!(item == "NULL" && !was_quoted)) {
      if (any) out += sep;
      out += item;
      any = true;
    }
    item.clear();
    was_quoted = false;
  };
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '\\' && i + 2 < s.size()) item += s[++i];
      else if (c == '"') quoted = false;
      else item += c;
    } else if (c == '"') {
      quoted = was_quoted = true;
    } else if (c == ',') {
      flush();
    } else {
      item += c;
    }
  }
  if (s.size() > 2) flush();
  return Value::Text(out);
}

}  // namespace

void AddCatalogFunctions(std::vector<FunctionOverload>& out) {
  Add(out, "version", {}, kText, [](const Args&, const Ctx&) {
    return Value::Text("PostgreSQL 15.0 (Tessera 0.1) on x86_64-pc-linux-gnu, compiled by g++, 64-bit");
  });
  Add(out, "current_database", {}, kText,
      [](const Args&, const Ctx& ctx) { return Value::Text(Catalog(ctx, "current_database").DatabaseName()); });
  // Tessera's search path is fixed: public, then pg_catalog.
  Add(out, "current_schema", {}, kText, [](const Args&, const Ctx&) { return Value::Text("public"); });
  // An array, so that clients can unnest it (pgcli reads its search path
  // with SELECT * FROM unnest(current_schemas(true))); PostgreSQL's is
  // name[], which Tessera does not have: text[] prints the same.
  Add(out, "current_schemas", {kBool}, TypeId::kTextArray, [](const Args& a, const Ctx&) {
    Value::Elements schemas;
    // The session's temp schema first, once it has one, as PostgreSQL lists it.
    if (a[0].GetBool() && !ActiveTempSchema().empty()) schemas.push_back(Value::Text(ActiveTempSchema()));
    if (a[0].GetBool()) schemas.push_back(Value::Text("pg_catalog"));
    schemas.push_back(Value::Text("public"));
    return Value::Array(Type::Of(TypeId::kTextArray), std::move(schemas));
  });
  Add(out, "pg_encoding_to_char", {kInt4}, kText,
      [](const Args& a, const Ctx&) { return Value::Text(EncodingName(a[0].GetInt())); });
  Add(out, "format_type", {kOid, kInt4}, kText, FormatTypeFn, false, false);
  Add(out, "array_to_string", {kText, kText}, kText, ArrayToString);
  AddPrivilegeFunctions(out);
  Add(out, "pg_get_serial_sequence", {kText, kText}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_serial_sequence").SerialSequence(a[0].GetString(), a[1].GetString()));
  });
  Add(out, "pg_get_userbyid", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    auto name = Catalog(ctx, "pg_get_userbyid").RoleName(OidArg(a, 0));
    return Value::Text(name ? *name : "unknown (OID=" + std::to_string(OidArg(a, 0)) + ")");
  });
  Add(out, "pg_table_is_visible", {kOid}, kBool, [](const Args& a, const Ctx& ctx) {
    return Value::Bool(Catalog(ctx, "pg_table_is_visible").RelationVisible(OidArg(a, 0)));
  });
  // The session's temp schema (common/temp_schema.h): 0 until it has one.
  Add(out, "pg_my_temp_schema", {}, kOid, [](const Args&, const Ctx&) {
    auto n = TempSchemaNumber(ActiveTempSchema());
    return Value::Int8(n ? TempNamespaceOid(*n) : 0).CastTo(Type::Of(kOid));
  });
  Add(out, "pg_is_other_temp_schema", {kOid}, kBool, [](const Args& a, const Ctx&) {
    int64_t oid = OidArg(a, 0);
    int64_t n = oid - static_cast<int64_t>(TempNamespaceOid(0));
    if (n < 0 || n >= kTempNamespaceOidCount) return Value::Bool(false);
    return Value::Bool(TempSchemaName(n) != ActiveTempSchema());
  });
  Add(out, "pg_relation_is_publishable", {kOid}, kBool, [](const Args& a, const Ctx& ctx) {
    return Value::Bool(Catalog(ctx, "pg_relation_is_publishable").RelationPublishable(OidArg(a, 0)));
  });
  // Tessera has no extended statistics objects (pg_statistic_ext is empty): no columns to show.
  Add(out, "pg_get_statisticsobjdef_columns", {kOid}, kText,
      [](const Args&, const Ctx&) { return Value::Null(Type::Of(kText)); });
  // Every type and function is a built-in of pg_catalog, which is always searched.
  Add(out, "pg_type_is_visible", {kOid}, kBool, [](const Args&, const Ctx&) { return Value::Bool(true); });
  Add(out, "pg_function_is_visible", {kOid}, kBool, [](const Args&, const Ctx&) { return Value::Bool(true); });
  // pg_attrdef.adbin holds the SQL text of the default, so it is its own display form.
  Add(out, "pg_get_expr", {kText, kOid}, kText, [](const Args& a, const Ctx&) { return a[0]; });
  Add(out, "pg_get_expr", {kText, kOid, kBool}, kText, [](const Args& a, const Ctx&) { return a[0]; });
  Add(out, "pg_get_indexdef", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_indexdef").IndexDefinition(OidArg(a, 0), 0, false));
  });
  Add(out, "pg_get_indexdef", {kOid, kInt4, kBool}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_indexdef")
                            .IndexDefinition(OidArg(a, 0), static_cast<int>(a[1].GetInt()), a[2].GetBool()));
  });
  Add(out, "pg_get_viewdef", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_viewdef").ViewDefinition(OidArg(a, 0), false));
  });
  Add(out, "pg_get_viewdef", {kOid, kBool}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_viewdef").ViewDefinition(OidArg(a, 0), a[1].GetBool()));
  });
  Add(out, "pg_get_constraintdef", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_constraintdef").ConstraintDefinition(OidArg(a, 0)));
  });
  Add(out, "pg_get_constraintdef", {kOid, kBool}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_constraintdef").ConstraintDefinition(OidArg(a, 0)));
  });
  Add(out, "pg_get_function_result", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_function_result").FunctionResult(OidArg(a, 0)));
  });
  Add(out, "pg_get_function_arguments", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "pg_get_function_arguments").FunctionArguments(OidArg(a, 0)));
  });
  // Tables, views and their columns have comments (COMMENT ON); nothing else does.
  Add(out, "obj_description", {kOid, kText}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "obj_description").Description(OidArg(a, 0), a[1].GetString(), 0));
  });
  Add(out, "obj_description", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(Catalog(ctx, "obj_description").Description(OidArg(a, 0), "", 0));
  });
  Add(out, "col_description", {kOid, kInt4}, kText, [](const Args& a, const Ctx& ctx) {
    return OptionalText(
        Catalog(ctx, "col_description").Description(OidArg(a, 0), "pg_class", static_cast<int32_t>(a[1].GetInt())));
  });
  Add(out, "shobj_description", {kOid, kText}, kText,
      [](const Args&, const Ctx&) { return Value::Null(Type::Of(kText)); });
  // regclass as functions: to_regclass returns NULL for a missing relation,
  // the casts (planner) go through regclass_in / regclass_out.
  Add(out, "to_regclass", {kText}, kOid, [](const Args& a, const Ctx& ctx) {
    auto oid = Catalog(ctx, "to_regclass").RelationOid(a[0].GetString());
    return oid ? Value::Int8(*oid).CastTo(Type::Of(kOid)) : Value::Null(Type::Of(kOid));
  });
  Add(out, "regclassin", {kText}, kOid,
      [](const Args& a, const Ctx& ctx) { return Value::Int8(RegclassIn(a[0].GetString(), ctx)).CastTo(Type::Of(kOid)); });
  Add(out, "regclassout", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    auto name = Catalog(ctx, "regclassout").RelationName(OidArg(a, 0));
    return Value::Text(name ? *name : std::to_string(OidArg(a, 0)));
  });
  Add(out, "regnamespaceout", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    auto name = Catalog(ctx, "regnamespaceout").NamespaceName(OidArg(a, 0));
    return Value::Text(name ? *name : std::to_string(OidArg(a, 0)));
  });
  Add(out, "regtypeout", {kOid}, kText, [](const Args& a, const Ctx& ctx) {
    Value name = FormatTypeFn({a[0], Value::Null(Type::Of(kInt4))}, ctx);
    return name.GetString() == "???" ? Value::Text(std::to_string(OidArg(a, 0))) : name;
  });
}

}  // namespace tessera::builtins
