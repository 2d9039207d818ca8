// GRANT / REVOKE of privileges on tables, views, sequences and schemas, and
// ALTER TABLE | VIEW | SEQUENCE ... OWNER TO, after PostgreSQL 15's
// catalog/aclchk.c (ExecGrant_Relation, restrict_and_check_grant,
// merge_acl_with_grant, recursive_revoke) and tablecmds.c
// (ATExecChangeOwner). Table and view lists change through the
// transaction's catalog like other DDL; sequences and schemas keep theirs
// outside it, so changing those is refused inside a transaction block.
#include <algorithm>
#include <functional>

#include "catalog/acl.h"
#include "common/error.h"
#include "executor/ddl_block_catalog.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

namespace priv = catalog::privilege;
using catalog::Acl;
using catalog::AclItem;
using catalog::ObjectKind;

constexpr const char* kInvalidGrantOperation = "0LP01";
constexpr const char* kPrivilegeNotGranted = "01007";
constexpr const char* kPrivilegeNotRevoked = "01006";

SqlError Denied(const std::string& message) { return SqlError(sqlstate::kInsufficientPrivilege, message); }

uint32_t AllFor(ObjectKind kind) {
  return kind == ObjectKind::kTable ? priv::kAllTable : kind == ObjectKind::kSequence ? priv::kAllSequence
                                                                                      : priv::kAllSchema;
}

const char* KindName(ObjectKind kind, bool view) {
  return view ? "view" : kind == ObjectKind::kTable ? "table" : kind == ObjectKind::kSequence ? "sequence" : "schema";
}

// A privilege word's bit (PostgreSQL's string_to_privilege); 42601 when unknown.
uint32_t PrivilegeBit(const std::string& word) {
  static const std::pair<const char*, uint32_t> kWords[] = {
      {"insert", priv::kInsert},     {"select", priv::kSelect},   {"update", priv::kUpdate},
      {"delete", priv::kDelete},     {"truncate", priv::kTruncate}, {"references", priv::kReferences},
      {"trigger", priv::kTrigger},   {"usage", priv::kUsage},     {"create", priv::kCreate},
      {"execute", 1u << 7},          {"temporary", 1u << 10},     {"temp", 1u << 10},
      {"connect", 1u << 11}};
  for (const auto& [name, bit] : kWords)
    if (word == name) return bit;
  throw SqlError(sqlstate::kSyntaxError, "unrecognized privilege type \"" + word + "\"");
}

std::string Upper(std::string word) {
  for (char& c : word)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return word;
}

// One object a GRANT or REVOKE changes.
struct GrantObject {
  ObjectKind kind = ObjectKind::kTable;
  std::string name;    // as messages show it
  uint32_t owner = 0;
  Acl acl;
  const catalog::TableInfo* table = nullptr;
  const catalog::SequenceInfo* sequence = nullptr;
  std::string schema;  // kSchema: the schema itself
  uint32_t privileges = 0;
};

AclItem& ItemFor(Acl& acl, uint32_t grantee, uint32_t grantor) {
  for (AclItem& item : acl)
    if (item.grantee == grantee && item.grantor == grantor) return item;
  acl.push_back(AclItem{grantee, grantor, 0, 0});
  return acl.back();
}

// Takes `bits` from what `grantee` got from `grantor`; grant options only
// with `options_only`. Whatever `grantee` granted on with an option it no
// longer holds goes too with `cascade`, else 2BP01 (PostgreSQL's recursive_revoke).
void RevokeFrom(Acl& acl, uint32_t grantee, uint32_t grantor, uint32_t bits, bool options_only, bool cascade) {
  auto it = std::find_if(acl.begin(), acl.end(),
                         [&](const AclItem& i) { return i.grantee == grantee && i.grantor == grantor; });
  if (it == acl.end()) return;
  uint32_t lost_options = it->grant_options & bits;
  it->grant_options &= ~bits;
  if (!options_only) it->privileges &= ~bits;
  if (it->privileges == 0) acl.erase(it);
  if (lost_options == 0 || grantee == catalog::kPublicRoleOid) return;
  // Options still held from another grantor keep what was granted with them.
  for (const AclItem& other : acl)
    if (other.grantee == grantee) lost_options &= ~other.grant_options;
  if (lost_options == 0) return;
  std::vector<uint32_t> dependents;
  for (const AclItem& item : acl)
    if (item.grantor == grantee && item.grantee != grantee && (item.privileges & lost_options) != 0)
      dependents.push_back(item.grantee);
  if (dependents.empty()) return;
  if (!cascade)
    throw SqlError(sqlstate::kDependentObjectsStillExist, "dependent privileges exist", {},
                   "Use CASCADE to revoke them too.");
  for (uint32_t dependent : dependents) RevokeFrom(acl, dependent, grantee, lost_options, false, true);
}

}  // namespace

uint32_t SqlSession::ResolveRoleSpec(const catalog::CatalogSnapshot& snapshot, const ast::RoleSpec& spec) const {
  switch (spec.kind) {
    case ast::RoleSpec::Kind::kPublic: return catalog::kPublicRoleOid;
    case ast::RoleSpec::Kind::kCurrentUser: return CurrentRole().oid;
    case ast::RoleSpec::Kind::kSessionUser: return role_oid_;
    case ast::RoleSpec::Kind::kName: break;
  }
  const catalog::RoleInfo* role = snapshot.FindRole(spec.name);
  if (role == nullptr) throw SqlError(sqlstate::kUndefinedObject, "role \"" + spec.name + "\" does not exist");
  return role->oid;
}

catalog::Catalog& SqlSession::DdlCatalog() {
  StatementTxn();
  if (!block_catalog_) block_catalog_ = std::make_unique<BlockCatalog>(db_.Catalog());
  return *block_catalog_;
}

std::string SqlSession::RunGrant(const ast::GrantStmt& stmt, ResultSink& sink) {
  const char* tag = stmt.is_grant ? "GRANT" : "REVOKE";
  using Target = ast::GrantStmt::Target;
  if (stmt.column_list) throw SqlError::FeatureNotSupported("column privileges are not supported yet");
  if (stmt.granted_by) throw SqlError::FeatureNotSupported("GRANTED BY is not supported yet");
  if (stmt.is_grant && stmt.grant_option)
    for (const ast::RoleSpec& g : stmt.grantees)
      if (g.kind == ast::RoleSpec::Kind::kPublic)
        throw SqlError(kInvalidGrantOperation, "grant options can only be granted to roles");
  auto snapshot = SessionCatalog().Snapshot();
  bool outside_txn = stmt.target != Target::kTable && stmt.target != Target::kAllTablesInSchema;

  // The objects, each with the privileges asked for it.
  ObjectKind kind = stmt.target == Target::kSchema                                                      ? ObjectKind::kSchema
                    : stmt.target == Target::kSequence || stmt.target == Target::kAllSequencesInSchema ? ObjectKind::kSequence
                                                                                                        : ObjectKind::kTable;
  uint32_t asked = 0;
  for (const std::string& word : stmt.privileges) asked |= PrivilegeBit(word);
  bool all = stmt.privileges.empty();
  std::vector<GrantObject> objects;
  auto add_table = [&](const catalog::TableInfo& t) {
    objects.push_back({ObjectKind::kTable, t.name, t.owner, catalog::TableAcl(t), &t, nullptr, {}, 0});
  };
  auto add_sequence = [&](const catalog::SequenceInfo& s) {
    objects.push_back({ObjectKind::kSequence, s.name, s.owner, catalog::SequenceAcl(s), nullptr, &s, {}, 0});
    outside_txn = true;
  };
  auto check_schema = [](const std::string& schema) {
    if (schema != "public" && schema != "pg_catalog" && schema != "information_schema")
      throw SqlError("3F000", "schema \"" + schema + "\" does not exist");
  };
  switch (stmt.target) {
    case Target::kTable:
    case Target::kSequence:
      for (const ast::QualifiedName& name : stmt.relations) {
        const catalog::TableInfo* t = snapshot->FindTable(name.schema, name.name);
        const catalog::SequenceInfo* s = snapshot->FindSequence(name.schema, name.name);
        if (stmt.target == Target::kSequence && t != nullptr)
          throw SqlError(sqlstate::kWrongObjectType, "\"" + name.name + "\" is not a sequence");
        if (t != nullptr) add_table(*t);
        else if (s != nullptr) add_sequence(*s);
        else throw SqlError::UndefinedTable(name.ToString());
      }
      break;
    case Target::kAllTablesInSchema:
    case Target::kAllSequencesInSchema:
      for (const std::string& schema : stmt.schemas) {
        check_schema(schema);
        if (stmt.target == Target::kAllTablesInSchema) {
          for (const auto& [id, t] : snapshot->Tables())
            if (t.schema == schema) add_table(t);
        } else {
          for (const auto& [key, s] : snapshot->Sequences())
            if (s.schema == schema) add_sequence(s);
        }
      }
      break;
    case Target::kSchema:
      for (const std::string& schema : stmt.schemas) {
        check_schema(schema);
        objects.push_back({ObjectKind::kSchema, schema, catalog::SchemaOwner(schema),
                           catalog::SchemaAcl(*snapshot, schema), nullptr, nullptr, schema, 0});
      }
      break;
  }
  if (outside_txn && (in_block_ || implicit_))
    throw SqlError::FeatureNotSupported(std::string(tag) +
                                        " on sequences and schemas inside a transaction block is not supported");

  // Which privileges each object takes (0LP01 for one its kind has not; a
  // sequence named by ON TABLE keeps what sequences have, with a warning).
  for (GrantObject& o : objects) {
    uint32_t allowed = AllFor(o.kind);
    if (all) {
      o.privileges = allowed;
    } else if ((asked & ~allowed) == 0) {
      o.privileges = asked;
    } else if (o.kind == ObjectKind::kSequence && kind == ObjectKind::kTable) {
      sink.Notice("WARNING", "01000",
                  "sequence \"" + o.name + "\" only supports USAGE, SELECT, and UPDATE privileges");
      o.privileges = asked & allowed;
    } else {
      std::string bad;
      for (const std::string& word : stmt.privileges)
        if ((PrivilegeBit(word) & ~allowed) != 0 && bad.empty()) bad = Upper(word);
      throw SqlError(kInvalidGrantOperation,
                     "invalid privilege type " + bad + " for " + KindName(kind, false));
    }
  }

  std::vector<uint32_t> grantees;
  for (const ast::RoleSpec& g : stmt.grantees) grantees.push_back(ResolveRoleSpec(*snapshot, g));
  uint32_t me = CurrentRole().oid;

  for (GrantObject& o : objects) {
    bool view = o.table != nullptr && o.table->IsView();
    // The grantor: the owner when the current role has the owner's rights
    // (superusers do), else the current role with its grant options.
    bool owner_rights = catalog::IsMemberOf(*snapshot, me, o.owner, true);
    uint32_t grantor = owner_rights ? o.owner : me;
    uint32_t all_rights = AllFor(o.kind);
    uint32_t avail = owner_rights ? all_rights
                                  : catalog::HeldPrivileges(*snapshot, o.acl, o.owner, me, all_rights, true);
    if (avail == 0 && catalog::HeldPrivileges(*snapshot, o.acl, o.owner, me, all_rights) == 0)
      throw Denied(std::string("permission denied for ") + KindName(o.kind, view) + " " + o.name);
    uint32_t privileges = o.privileges & avail;
    if (privileges == 0 || (!all && privileges != o.privileges)) {
      bool none = privileges == 0;
      std::string what = stmt.is_grant ? (none ? "no privileges were granted for \"" : "not all privileges were granted for \"")
                                       : (none ? "no privileges could be revoked for \"" : "not all privileges could be revoked for \"");
      sink.Notice("WARNING", stmt.is_grant ? kPrivilegeNotGranted : kPrivilegeNotRevoked, what + o.name + "\"");
    }
    for (uint32_t grantee : grantees) {
      if (stmt.is_grant) {
        AclItem& item = ItemFor(o.acl, grantee, grantor);
        item.privileges |= privileges;
        if (stmt.grant_option) item.grant_options |= privileges;
      } else {
        RevokeFrom(o.acl, grantee, grantor, privileges, stmt.grant_option, stmt.cascade);
      }
    }
    if (o.table != nullptr) {
      catalog::TableInfo updated = *o.table;
      updated.acl = o.acl;
      DdlCatalog().UpdateTable(updated);
    } else if (o.sequence != nullptr) {
      catalog::SequenceInfo updated = *o.sequence;
      updated.acl = o.acl;
      db_.Catalog().AlterSequence(updated.schema, updated.name, updated);
    } else {
      db_.Catalog().SetSchemaAcl(o.schema, o.acl);
    }
  }
  return tag;
}

std::string SqlSession::RunAlterOwner(const ast::AlterOwnerStmt& stmt, ResultSink& sink) {
  std::string tag = "ALTER " + stmt.object_kind;
  auto snapshot = SessionCatalog().Snapshot();
  const catalog::TableInfo* table = snapshot->FindTable(stmt.relation.schema, stmt.relation.name);
  const catalog::SequenceInfo* sequence =
      table ? nullptr : snapshot->FindSequence(stmt.relation.schema, stmt.relation.name);
  if (table == nullptr && sequence == nullptr) {
    if (stmt.if_exists) {
      sink.Notice("NOTICE", "00000", "relation \"" + stmt.relation.ToString() + "\" does not exist, skipping");
      return tag;
    }
    throw SqlError::UndefinedTable(stmt.relation.ToString());
  }
  const std::string& name = table ? table->name : sequence->name;
  if (stmt.object_kind == "SEQUENCE" && sequence == nullptr)
    throw SqlError(sqlstate::kWrongObjectType, "\"" + name + "\" is not a sequence");
  if (stmt.object_kind == "VIEW" && (table == nullptr || !table->IsView()))
    throw SqlError(sqlstate::kWrongObjectType, "\"" + name + "\" is not a view");
  uint32_t old_owner = table ? table->owner : sequence->owner;
  uint32_t new_owner = ResolveRoleSpec(*snapshot, stmt.owner);
  if (stmt.owner.kind == ast::RoleSpec::Kind::kPublic)
    throw SqlError(sqlstate::kUndefinedObject, "role \"public\" does not exist");
  if (new_owner == old_owner) return tag;
  uint32_t me = CurrentRole().oid;
  const char* kind = sequence ? "sequence" : table->IsView() ? "view" : "table";
  if (!catalog::IsSuperuser(*snapshot, me)) {
    if (!catalog::IsMemberOf(*snapshot, me, old_owner, true))
      throw Denied(std::string("must be owner of ") + kind + " " + name);
    if (!catalog::IsMemberOf(*snapshot, me, new_owner, false))
      throw Denied("must be member of role \"" + snapshot->FindRoleById(new_owner)->name + "\"");
    catalog::CheckSchemaPrivileges(*snapshot, table ? table->schema : sequence->schema, new_owner,
                                   catalog::privilege::kCreate);
  }
  ChangeOwner(*snapshot, table, sequence, new_owner);
  return tag;
}

// The change itself, checked by the caller (ALTER ... OWNER TO, REASSIGN OWNED).
void SqlSession::ChangeOwner(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo* table,
                             const catalog::SequenceInfo* sequence, uint32_t new_owner) {
  const uint32_t old_owner = table ? table->owner : sequence->owner;
  // The list follows the owner (PostgreSQL's aclnewowner): the old owner's
  // items become the new one's.
  auto new_acl = [&](const std::optional<Acl>& acl) -> std::optional<Acl> {
    if (!acl) return acl;
    Acl out;
    for (AclItem item : *acl) {
      if (item.grantee == old_owner) item.grantee = new_owner;
      if (item.grantor == old_owner) item.grantor = new_owner;
      AclItem& merged = ItemFor(out, item.grantee, item.grantor);
      merged.privileges |= item.privileges;
      merged.grant_options |= item.grant_options;
    }
    return out;
  };
  auto change_sequence = [&](const catalog::SequenceInfo& s) {
    if (in_block_ || implicit_)
      throw SqlError::FeatureNotSupported("changing the owner of a sequence inside a transaction block is not supported");
    catalog::SequenceInfo updated = s;
    updated.owner = new_owner;
    updated.acl = new_acl(s.acl);
    db_.Catalog().AlterSequence(s.schema, s.name, updated);
  };
  if (sequence != nullptr) {
    change_sequence(*sequence);
    return;
  }
  // A table's own sequences (serial columns) change owner with it.
  for (const auto& [key, s] : snapshot.Sequences())
    if (s.owned_by_table == table->name && s.schema == table->schema) change_sequence(s);
  catalog::TableInfo updated = *table;
  updated.owner = new_owner;
  updated.acl = new_acl(table->acl);
  DdlCatalog().UpdateTable(updated);
}

}  // namespace tessera::executor
