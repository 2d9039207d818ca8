#include "catalog/catalog_json.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tessera {

// Type lives in namespace tessera, so its (de)serialisers must too for ADL.
void to_json(nlohmann::json& j, const Type& t) { j = {{"id", static_cast<uint32_t>(t.id)}, {"typmod", t.typmod}}; }
void from_json(const nlohmann::json& j, Type& t) {
  t.id = static_cast<TypeId>(j.at("id").get<uint32_t>());
  t.typmod = j.at("typmod").get<int32_t>();
}

namespace catalog {

using nlohmann::json;

void to_json(json& j, const ColumnInfo& c) {
  j = {{"name", c.name}, {"type", c.type}, {"not_null", c.not_null}, {"default", c.default_sql},
       {"serial", c.is_serial}};
  if (c.identity != '\0') j["identity"] = std::string(1, c.identity);
  if (!c.comment.empty()) j["comment"] = c.comment;
}
void from_json(const json& j, ColumnInfo& c) {
  c.name = j.at("name").get<std::string>();
  c.type = j.at("type").get<Type>();
  c.not_null = j.value("not_null", false);
  c.default_sql = j.value("default", std::string());
  c.is_serial = j.value("serial", false);
  std::string identity = j.value("identity", std::string());
  c.identity = identity.empty() ? '\0' : identity[0];
  c.comment = j.value("comment", std::string());
}

void to_json(json& j, const IndexInfo& i) {
  j = {{"id", i.id},       {"name", i.name},     {"columns", i.columns}, {"descending", i.descending},
       {"unique", i.unique}, {"primary", i.primary}};
  if (i.constraint) j["constraint"] = true;
}
void from_json(const json& j, IndexInfo& i) {
  i.id = j.at("id").get<uint32_t>();
  i.name = j.at("name").get<std::string>();
  i.columns = j.at("columns").get<std::vector<int>>();
  i.descending = j.value("descending", std::vector<bool>(i.columns.size(), false));
  i.unique = j.value("unique", false);
  i.primary = j.value("primary", false);
  i.constraint = j.value("constraint", false);
}

void to_json(json& j, const CheckInfo& c) { j = {{"name", c.name}, {"sql", c.sql}}; }
void from_json(const json& j, CheckInfo& c) {
  c.name = j.at("name").get<std::string>();
  c.sql = j.at("sql").get<std::string>();
}

void to_json(json& j, const ForeignKeyInfo& f) {
  j = {{"name", f.name},
       {"columns", f.columns},
       {"ref_table", f.ref_table},
       {"ref_columns", f.ref_columns},
       {"on_update", std::string(1, f.on_update)},
       {"on_delete", std::string(1, f.on_delete)},
       {"match", std::string(1, f.match)}};
}
void from_json(const json& j, ForeignKeyInfo& f) {
  f.name = j.at("name").get<std::string>();
  f.columns = j.at("columns").get<std::vector<int>>();
  f.ref_table = j.at("ref_table").get<uint32_t>();
  f.ref_columns = j.at("ref_columns").get<std::vector<int>>();
  f.on_update = j.value("on_update", std::string("a")).at(0);
  f.on_delete = j.value("on_delete", std::string("a")).at(0);
  f.match = j.value("match", std::string("s")).at(0);
}

void to_json(json& j, const AclItem& a) { j = json::array({a.grantee, a.grantor, a.privileges, a.grant_options}); }
void from_json(const json& j, AclItem& a) {
  a.grantee = j.at(0).get<uint32_t>();
  a.grantor = j.at(1).get<uint32_t>();
  a.privileges = j.at(2).get<uint32_t>();
  a.grant_options = j.at(3).get<uint32_t>();
}

// Owner and ACL, written only when they differ from the defaults (a catalog
// written before privileges existed reads as owned by the bootstrap role).
template <typename Info>
void OwnerToJson(json& j, const Info& info) {
  if (info.owner != 10) j["owner"] = info.owner;
  if (info.acl) j["acl"] = *info.acl;
}
template <typename Info>
void OwnerFromJson(const json& j, Info& info) {
  info.owner = j.value("owner", uint32_t{10});
  if (j.contains("acl")) info.acl = j.at("acl").get<Acl>();
}

void to_json(json& j, const TableInfo& t) {
  j = {{"id", t.id},
       {"schema", t.schema},
       {"name", t.name},
       {"columns", t.columns},
       {"primary_key", t.primary_key},
       {"primary_key_name", t.primary_key_name},
       {"indexes", t.indexes}};
  if (!t.checks.empty()) j["checks"] = t.checks;
  if (!t.foreign_keys.empty()) j["foreign_keys"] = t.foreign_keys;
  if (t.IsView()) {
    j["view_sql"] = t.view_sql;
    j["view_depends_on"] = t.view_depends_on;
  }
  OwnerToJson(j, t);
  if (!t.comment.empty()) j["comment"] = t.comment;
}
void from_json(const json& j, TableInfo& t) {
  t.id = j.at("id").get<uint32_t>();
  t.schema = j.value("schema", std::string("public"));
  t.name = j.at("name").get<std::string>();
  t.columns = j.at("columns").get<std::vector<ColumnInfo>>();
  t.primary_key = j.value("primary_key", std::vector<int>());
  t.primary_key_name = j.value("primary_key_name", std::string());
  t.indexes = j.value("indexes", std::vector<IndexInfo>());
  t.checks = j.value("checks", std::vector<CheckInfo>());
  t.foreign_keys = j.value("foreign_keys", std::vector<ForeignKeyInfo>());
  t.view_sql = j.value("view_sql", std::string());
  t.view_depends_on = j.value("view_depends_on", std::vector<uint32_t>());
  OwnerFromJson(j, t);
  t.comment = j.value("comment", std::string());
}

void to_json(json& j, const SequenceInfo& s) {
  j = {{"schema", s.schema},
       {"name", s.name},
       {"type", static_cast<uint32_t>(s.type)},
       {"increment", s.increment},
       {"start", s.start},
       {"min", s.min_value},
       {"max", s.max_value},
       {"cache", s.cache},
       {"cycle", s.cycle},
       {"last_value", s.last_value},
       {"is_called", s.is_called},
       {"owned_by", s.owned_by_table},
       {"owned_by_column", s.owned_by_column}};
  OwnerToJson(j, s);
}
void from_json(const json& j, SequenceInfo& s) {
  s.schema = j.value("schema", std::string("public"));
  s.name = j.at("name").get<std::string>();
  s.type = static_cast<TypeId>(j.value("type", static_cast<uint32_t>(TypeId::kInt8)));
  s.increment = j.value("increment", int64_t{1});
  s.start = j.value("start", int64_t{1});
  // Catalogs stored before the bounds were recorded: PostgreSQL's defaults.
  s.min_value = j.value("min", s.increment > 0 ? int64_t{1} : INT64_MIN);
  s.max_value = j.value("max", s.increment > 0 ? INT64_MAX : int64_t{-1});
  s.cache = j.value("cache", int64_t{1});
  s.cycle = j.value("cycle", false);
  s.last_value = j.value("last_value", s.start);
  s.is_called = j.value("is_called", false);
  s.owned_by_table = j.value("owned_by", std::string());
  s.owned_by_column = j.value("owned_by_column", std::string());
  OwnerFromJson(j, s);
}

void to_json(json& j, const RoleInfo& r) {
  j = {{"oid", r.oid},           {"name", r.name},           {"superuser", r.superuser},
       {"inherit", r.inherit},   {"create_role", r.create_role}, {"create_db", r.create_db},
       {"login", r.can_login},   {"password", r.password}};
  if (!r.member_of.empty()) {
    json members = json::array();
    for (const RoleMembership& m : r.member_of) members.push_back({m.role, m.grantor, m.admin_option});
    j["member_of"] = std::move(members);
  }
}
void from_json(const json& j, RoleInfo& r) {
  r.oid = j.at("oid").get<uint32_t>();
  r.name = j.at("name").get<std::string>();
  r.superuser = j.value("superuser", false);
  r.inherit = j.value("inherit", true);
  r.create_role = j.value("create_role", false);
  r.create_db = j.value("create_db", false);
  r.can_login = j.value("login", false);
  r.password = j.value("password", std::string());
  for (const json& m : j.value("member_of", json::array()))
    r.member_of.push_back({m.at(0).get<uint32_t>(), m.at(1).get<uint32_t>(), m.at(2).get<bool>()});
}

namespace {
constexpr int kFormatVersion = 1;
}  // namespace

std::string SerializeCatalog(const StoredCatalog& catalog) {
  json tables = json::array();
  for (const auto& [id, table] : catalog.snapshot.tables_) tables.push_back(table);
  json sequences = json::array();
  for (const auto& [key, seq] : catalog.snapshot.sequences_) {
    json s = seq;
    auto counter = catalog.sequence_counters.find(key);
    s["counter"] = counter == catalog.sequence_counters.end() ? 0 : counter->second;
    sequences.push_back(std::move(s));
  }
  json doc = {{"format", kFormatVersion},
              {"version", catalog.snapshot.version_},
              {"tables", std::move(tables)},
              {"sequences", std::move(sequences)}};
  json roles = json::array();
  for (const auto& [name, role] : catalog.snapshot.roles_) roles.push_back(role);
  doc["roles"] = std::move(roles);
  if (!catalog.snapshot.schema_acls_.empty()) doc["schema_acls"] = catalog.snapshot.schema_acls_;
  return doc.dump();
}

StoredCatalog DeserializeCatalog(const std::string& text) {
  StoredCatalog out;
  try {
    json doc = json::parse(text);
    if (doc.value("format", 0) > kFormatVersion) {
      throw SqlError(sqlstate::kDataCorrupted, "catalog was written by a newer version of tessera");
    }
    out.snapshot.version_ = doc.at("version").get<uint64_t>();
    for (const json& t : doc.at("tables")) {
      TableInfo table = t.get<TableInfo>();
      out.snapshot.tables_.emplace(table.id, std::move(table));
    }
    for (const json& s : doc.at("sequences")) {
      SequenceInfo seq = s.get<SequenceInfo>();
      std::string key = seq.schema + "." + seq.name;
      out.sequence_counters[key] = s.value("counter", int64_t{0});
      out.snapshot.sequences_.emplace(std::move(key), std::move(seq));
    }
    // A catalog written before roles existed has the bootstrap superuser only.
    if (!doc.contains("roles")) out.snapshot.roles_ = BootstrapRoles();
    for (const json& r : doc.value("roles", json::array())) {
      RoleInfo role = r.get<RoleInfo>();
      out.snapshot.roles_.emplace(role.name, std::move(role));
    }
    if (doc.contains("schema_acls")) out.snapshot.schema_acls_ = doc.at("schema_acls").get<std::map<std::string, Acl>>();
  } catch (const json::exception& e) {
    throw SqlError(sqlstate::kDataCorrupted, std::string("could not read the stored catalog: ") + e.what());
  }
  return out;
}

}  // namespace catalog
}  // namespace tessera
