// System functions pg_dump calls while it reads the catalog: acldefault()
// (the privileges an object has when its ACL column is NULL, which pg_dump
// compares with the stored list to decide on GRANT/REVOKE) and
// pg_is_in_recovery() (a standby refuses some of its steps).
#include <cctype>

#include "common/builtin_registry.h"
#include "common/error.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kText = TypeId::kText, kOid = TypeId::kOid, kBool = TypeId::kBool;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

// A role name in an aclitem, quoted as PostgreSQL's putid does.
std::string AclRoleName(const std::string& name) {
  bool plain = !name.empty();
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_') plain = false;
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// PostgreSQL 15's acldefault(objtype, owner) (utils/adt/acl.c): what PUBLIC
// and the owner hold by default on each kind of object, as aclitem[] text.
Value AclDefault(const Args& a, const Ctx& ctx) {
  const std::string& kind = a[0].GetString();
  struct Defaults {
    const char* world;
    const char* owner;
  };
  Defaults d{};
  switch (kind.empty() ? '\0' : kind[0]) {
    case 'c':
      d = {"", ""};
      break;  // column
    case 'r':
      d = {"", "arwdDxt"};
      break;  // table, view
    case 's':
      d = {"", "rwU"};
      break;  // sequence
    case 'd':
      d = {"Tc", "CTc"};
      break;  // database
    case 'f':
      d = {"X", "X"};
      break;  // function
    case 'l':
      d = {"U", "U"};
      break;  // language
    case 'L':
      d = {"", "rw"};
      break;  // large object
    case 'n':
      d = {"", "UC"};
      break;  // schema
    case 'p':
      d = {"", "sA"};
      break;  // configuration parameter
    case 't':
      d = {"", "C"};
      break;  // tablespace
    case 'F':
      d = {"", "U"};
      break;  // foreign data wrapper
    case 'S':
      d = {"", "U"};
      break;  // foreign server
    case 'T':
      d = {"U", "U"};
      break;  // type
    default:
      throw SqlError::Internal("unrecognized object type abbreviation: " + kind);
  }
  if (!ctx.catalog) throw SqlError::FeatureNotSupported("acldefault() cannot run where the catalog is not reachable");
  int64_t owner_oid = a[1].GetInt();
  std::optional<std::string> found = ctx.catalog->RoleName(owner_oid);
  std::string owner = found ? AclRoleName(*found) : std::to_string(owner_oid);
  std::string out = "{";
  if (*d.world) out += "=" + std::string(d.world) + "/" + owner;
  if (*d.owner) out += std::string(out.size() > 1 ? "," : "") + owner + "=" + d.owner + "/" + owner;
  return Value::Text(out + "}");
}

// regproc: Tessera has no regproc type; a regproc value is its function's
// name, PostgreSQL's text form of one. Text to regproc checks that exactly
// one function has the name, as regprocin does: a built-in, or the handler
// of one of Tessera's access methods (pg_am lists them; they are code, not
// pg_proc rows).
Value RegprocIn(const Args& a, const Ctx&) {
  const std::string& name = a[0].GetString();
  if (name == "-") return Value::Text(name);  // PostgreSQL's "no function" (InvalidOid)
  static const char* kAccessMethodHandlers[] = {"heap_tableam_handler", "bthandler"};
  for (const char* handler : kAccessMethodHandlers)
    if (name == handler) return Value::Text(name);
  int count = 0;
  for (const FunctionOverload& f : BuiltinFunctionOverloads()) count += f.name == name;
  if (count == 0) throw SqlError(sqlstate::kUndefinedFunction, "function \"" + name + "\" does not exist");
  if (count > 1) throw SqlError("42725", "more than one function named \"" + name + "\"");
  return Value::Text(name);
}

// OID to regproc: the name of the pg_proc row (catalog/system/system_oids.h
// numbers built-in number i as 3,900,000,000 + i); 0 is "-", an unknown OID
// its number, as PostgreSQL prints them.
Value RegprocOut(const Args& a, const Ctx&) {
  int64_t oid = a[0].GetInt();
  if (oid == 0) return Value::Text("-");
  const auto& all = BuiltinFunctionOverloads();
  int64_t index = oid - 3'900'000'000LL;
  if (index >= 0 && index < static_cast<int64_t>(all.size())) return Value::Text(all[index].name);
  return Value::Text(std::to_string(oid));
}

// quote_literal(text): the string as an SQL literal, quotes doubled; one
// with a backslash is written E'...' with the backslashes doubled, as
// PostgreSQL does.
Value QuoteLiteral(const Args& a, const Ctx&) {
  const std::string& s = a[0].GetString();
  std::string out = s.find('\\') != std::string::npos ? "E'" : "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return Value::Text(out + "'");
}

}  // namespace

void AddDumpFunctions(std::vector<FunctionOverload>& out) {
  Add(out, "acldefault", {kText, kOid}, kText, AclDefault);
  Add(out, "quote_literal", {kText}, kText, QuoteLiteral);
  // Tessera has no triggers (pg_trigger is empty): no OID names one, and
  // PostgreSQL gives NULL for such an OID.
  Add(out, "pg_get_triggerdef", {kOid}, kText, [](const Args&, const Ctx&) { return Value::Null(Type::Of(kText)); });
  Add(out, "pg_get_triggerdef", {kOid, kBool}, kText,
      [](const Args&, const Ctx&) { return Value::Null(Type::Of(kText)); });
  Add(out, "regprocin", {kText}, kText, RegprocIn);
  Add(out, "regprocout", {kOid}, kText, RegprocOut);
  // A Tessera server is never a standby replaying a primary's WAL; its
  // backups do not take clients.
  Add(out, "pg_is_in_recovery", {}, kBool, [](const Args&, const Ctx&) { return Value::Bool(false); });
}

}  // namespace tessera::builtins
