// has_table_privilege, has_sequence_privilege, has_schema_privilege over a
// catalog snapshot (PostgreSQL's utils/adt/acl.c): the same rules as the
// planner's check (catalog/acl.h), so a client asking before it runs a
// statement gets the answer the statement will.
#include "catalog/acl.h"
#include "catalog/system/snapshot_catalog_view.h"
#include "catalog/system/system_oids.h"
#include "common/error.h"

namespace tessera::catalog::system {

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n");
  size_t e = s.find_last_not_of(" \t\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string Upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

// The privilege words of `text` for `kind`, each a bit and whether its grant option is asked.
std::vector<std::pair<uint32_t, bool>> ParsePrivileges(const std::string& text, PrivilegeQuestion::Kind kind) {
  using K = PrivilegeQuestion::Kind;
  static const std::pair<const char*, uint32_t> kTable[] = {
      {"SELECT", privilege::kSelect},     {"INSERT", privilege::kInsert},     {"UPDATE", privilege::kUpdate},
      {"DELETE", privilege::kDelete},     {"TRUNCATE", privilege::kTruncate}, {"REFERENCES", privilege::kReferences},
      {"TRIGGER", privilege::kTrigger},   {"RULE", 0}};
  static const std::pair<const char*, uint32_t> kSequence[] = {
      {"USAGE", privilege::kUsage}, {"SELECT", privilege::kSelect}, {"UPDATE", privilege::kUpdate}};
  static const std::pair<const char*, uint32_t> kSchema[] = {{"CREATE", privilege::kCreate},
                                                              {"USAGE", privilege::kUsage}};
  std::vector<std::pair<uint32_t, bool>> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string word = Upper(Trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    bool option = false;
    const std::string suffix = " WITH GRANT OPTION";
    if (word.size() > suffix.size() && word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0) {
      option = true;
      word = Trim(word.substr(0, word.size() - suffix.size()));
    }
    bool found = false;
    auto look = [&](const auto& table) {
      for (const auto& [name, bit] : table)
        if (word == name) {
          out.emplace_back(bit, option);
          found = true;
        }
    };
    if (kind == K::kTable) look(kTable);
    else if (kind == K::kSequence) look(kSequence);
    else look(kSchema);
    if (!found) throw SqlError(sqlstate::kInvalidParameterValue, "unrecognized privilege type: \"" + Trim(word) + "\"");
  }
  return out;
}

}  // namespace

std::optional<bool> SnapshotCatalogView::HasPrivilege(const PrivilegeQuestion& q) const {
  auto relations = Get();
  const CatalogSnapshot& snapshot = *relations->snapshot;
  using K = PrivilegeQuestion::Kind;

  // The role: by name (42704 when absent), by OID (any OID answers, as
  // PostgreSQL's does for a dropped one), or current_user.
  uint32_t role = kBootstrapRoleOid;
  if (q.role_name) {
    const RoleInfo* info = snapshot.FindRole(*q.role_name);
    if (*q.role_name == "public") role = kPublicRoleOid;
    else if (info == nullptr) throw SqlError(sqlstate::kUndefinedObject, "role \"" + *q.role_name + "\" does not exist");
    else role = info->oid;
  } else if (q.role_oid) {
    role = static_cast<uint32_t>(*q.role_oid);
  } else if (current_user_) {
    const RoleInfo* info = snapshot.FindRole(current_user_());
    if (info != nullptr) role = info->oid;
  }

  Acl acl;
  uint32_t owner = kBootstrapRoleOid;
  if (q.kind == K::kSchema) {
    std::string schema;
    if (q.object_name) {
      schema = *q.object_name;
      if (schema != "public" && schema != "pg_catalog" && schema != "information_schema")
        throw SqlError("3F000", "schema \"" + schema + "\" does not exist");
    } else {
      schema = system::NamespaceName(static_cast<uint32_t>(*q.object_oid));
      if (schema.empty()) return std::nullopt;
    }
    acl = SchemaAcl(snapshot, schema);
    owner = SchemaOwner(schema);
  } else {
    const ClassEntry* e = nullptr;
    if (q.object_name) {
      std::optional<int64_t> oid = RelationOid(*q.object_name);
      if (!oid) throw SqlError::UndefinedTable(*q.object_name);
      e = relations->Find(static_cast<uint32_t>(*oid));
    } else {
      e = relations->Find(static_cast<uint32_t>(*q.object_oid));
      if (e == nullptr) return std::nullopt;
    }
    if (q.kind == K::kSequence && e->kind != 'S')
      throw SqlError(sqlstate::kWrongObjectType, "\"" + e->name + "\" is not a sequence");
    if (e->sequence != nullptr) {
      acl = SequenceAcl(*e->sequence);
      owner = e->sequence->owner;
    } else if (e->table != nullptr && e->kind != 'i') {
      acl = TableAcl(*e->table);
      owner = e->table->owner;
    } else {
      // System relations (and indexes): everyone may read them, as PostgreSQL grants pg_catalog's.
      acl = DefaultAcl(ObjectKind::kTable, kBootstrapRoleOid);
      acl.push_back(AclItem{kPublicRoleOid, kBootstrapRoleOid, privilege::kSelect, 0});
    }
  }
  for (const auto& [bit, option] : ParsePrivileges(q.privileges, q.kind)) {
    if (bit == 0) continue;
    uint32_t held = role == kPublicRoleOid
                        ? [&] {
                            uint32_t h = 0;
                            for (const AclItem& i : acl)
                              if (i.grantee == kPublicRoleOid) h |= option ? i.grant_options : i.privileges;
                            return h & bit;
                          }()
                        : HeldPrivileges(snapshot, acl, owner, role, bit, option);
    if (held != 0) return true;
  }
  return false;
}

CatalogView::SignalRight SnapshotCatalogView::MaySignal(const std::string& user) const {
  auto relations = Get();
  const CatalogSnapshot& snapshot = *relations->snapshot;
  const RoleInfo* me = current_user_ ? snapshot.FindRole(current_user_()) : snapshot.FindRoleById(kBootstrapRoleOid);
  const RoleInfo* target = snapshot.FindRole(user);
  if (me == nullptr) return SignalRight::kDenied;
  const bool superuser = IsSuperuser(snapshot, me->oid);
  if (target != nullptr && target->superuser && !superuser) return SignalRight::kSuperuserOnly;
  if (superuser || (target != nullptr && IsMemberOf(snapshot, me->oid, target->oid, true))) return SignalRight::kAllowed;
  return SignalRight::kDenied;
}

}  // namespace tessera::catalog::system
