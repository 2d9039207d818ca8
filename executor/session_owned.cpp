// REASSIGN OWNED and DROP OWNED, after PostgreSQL 15's catalog/pg_shdepend.c
// (shdepReassignOwned, shdepDropOwned): what roles own or were granted in
// this database, changed or removed before DROP ROLE. Objects are tables,
// views and sequences (their privilege lists too) and schemas' privilege
// lists; Tessera has no other kind a role can own here.
#include <set>

#include "catalog/acl.h"
#include "catalog/system/system_oids.h"
#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

using catalog::Acl;
using catalog::AclItem;

// The roles named, resolved; PUBLIC is no role here (42704, as PostgreSQL),
// and the current user must have each one's privileges (42501 `denied`).
std::set<uint32_t> ResolveOwners(const catalog::CatalogSnapshot& snapshot, const std::vector<ast::RoleSpec>& specs, uint32_t me, const std::string& denied,
                                 const std::function<uint32_t(const ast::RoleSpec&)>& resolve) {
  std::set<uint32_t> roles;
  for (const ast::RoleSpec& spec : specs) {
    if (spec.kind == ast::RoleSpec::Kind::kPublic)
      throw SqlError(sqlstate::kUndefinedObject, "role \"public\" does not exist");
    uint32_t role = resolve(spec);
    if (!catalog::IsMemberOf(snapshot, me, role, true)) throw SqlError(sqlstate::kInsufficientPrivilege, denied);
    roles.insert(role);
  }
  return roles;
}

// The list without what was granted to `roles` or by them (a revoke of a
// grant option takes what was granted with it, as REVOKE ... CASCADE does).
std::optional<Acl> WithoutRoles(const std::optional<Acl>& acl, const std::set<uint32_t>& roles, bool* changed) {
  if (!acl) return acl;
  Acl out;
  for (const AclItem& item : *acl) {
    if (roles.count(item.grantee) || roles.count(item.grantor)) {
      *changed = true;
      continue;
    }
    out.push_back(item);
  }
  return out;
}

}  // namespace

std::string SqlSession::RunReassignOwned(const ast::ReassignOwnedStmt& stmt, ResultSink&) {
  auto snapshot = SessionCatalog().Snapshot();
  const uint32_t me = CurrentRole().oid;
  auto resolve = [&](const ast::RoleSpec& spec) { return ResolveRoleSpec(*snapshot, spec); };
  std::set<uint32_t> from =
      ResolveOwners(*snapshot, stmt.roles, me, "permission denied to reassign objects", resolve);
  uint32_t to = *ResolveOwners(*snapshot, {stmt.to}, me, "permission denied to reassign objects", resolve)
                     .begin();
  for (uint32_t role : from)
    if (role == catalog::system::kBootstrapRoleOid && role != to)
      throw SqlError(sqlstate::kDependentObjectsStillExist,
                     "cannot reassign ownership of objects owned by role " + snapshot->FindRoleById(role)->name +
                         " because they are required by the database system");
  for (const auto& [id, table] : snapshot->Tables())
    if (from.count(table.owner) && table.owner != to) CheckTableShareLock(table);
  for (const auto& [id, table] : snapshot->Tables())
    if (from.count(table.owner) && table.owner != to) ChangeOwner(*snapshot, &table, nullptr, to);
  // Sequences of their own: a serial column's went with its table above.
  auto after = SessionCatalog().Snapshot();
  for (const auto& [key, sequence] : after->Sequences())
    if (from.count(sequence.owner) && sequence.owner != to) ChangeOwner(*after, nullptr, &sequence, to);
  return "REASSIGN OWNED";
}

std::string SqlSession::RunDropOwned(const ast::DropOwnedStmt& stmt, ResultSink& sink) {
  auto snapshot = SessionCatalog().Snapshot();
  const uint32_t me = CurrentRole().oid;
  auto resolve = [&](const ast::RoleSpec& spec) { return ResolveRoleSpec(*snapshot, spec); };
  std::set<uint32_t> roles = ResolveOwners(*snapshot, stmt.roles, me, "permission denied to drop objects", resolve);
  for (uint32_t role : roles)
    if (role == catalog::system::kBootstrapRoleOid)
      throw SqlError(sqlstate::kDependentObjectsStillExist,
                     "cannot drop objects owned by role " + snapshot->FindRoleById(role)->name +
                         " because they are required by the database system");
  // What they own goes first, views before the tables they may read, as
  // DROP statements (so their dependency checks and CASCADE apply).
  ast::DropViewStmt views;
  ast::DropTableStmt tables;
  ast::DropSequenceStmt sequences;
  views.cascade = tables.cascade = sequences.cascade = stmt.cascade;
  std::set<std::pair<std::string, std::string>> dropped_tables;
  for (const auto& [id, table] : snapshot->Tables()) {
    if (!roles.count(table.owner)) continue;
    (table.IsView() ? views.views : tables.tables).push_back(ast::QualifiedName{table.schema, table.name});
    if (!table.IsView()) dropped_tables.insert({table.schema, table.name});
  }
  for (const auto& [key, sequence] : snapshot->Sequences())
    if (roles.count(sequence.owner) && !dropped_tables.count({sequence.schema, sequence.owned_by_table}))
      sequences.sequences.push_back(ast::QualifiedName{sequence.schema, sequence.name});
  if (!sequences.sequences.empty() && (in_block_ || implicit_))
    throw SqlError::FeatureNotSupported("DROP OWNED of a role that owns sequences inside a transaction block is not supported");
  if (!views.views.empty()) RunDdl(views, sink);
  if (!tables.tables.empty()) RunDdl(tables, sink);
  if (!sequences.sequences.empty()) RunDdl(sequences, sink);
  // Then what was granted to them on what is left.
  auto after = SessionCatalog().Snapshot();
  std::vector<std::pair<std::string, Acl>> schema_acls;
  for (const auto& [schema, acl] : after->schema_acls_) {
    bool changed = false;
    std::optional<Acl> kept = WithoutRoles(std::optional<Acl>(acl), roles, &changed);
    if (changed) schema_acls.emplace_back(schema, *kept);
  }
  std::vector<catalog::SequenceInfo> sequence_acls;
  for (const auto& [key, sequence] : after->Sequences()) {
    bool changed = false;
    catalog::SequenceInfo updated = sequence;
    updated.acl = WithoutRoles(sequence.acl, roles, &changed);
    if (changed) sequence_acls.push_back(updated);
  }
  if ((!schema_acls.empty() || !sequence_acls.empty()) && (in_block_ || implicit_))
    throw SqlError::FeatureNotSupported(
        "DROP OWNED inside a transaction block is not supported when it revokes privileges on sequences or schemas");
  for (const auto& [id, table] : after->Tables()) {
    bool changed = false;
    catalog::TableInfo updated = table;
    updated.acl = WithoutRoles(table.acl, roles, &changed);
    if (changed) DdlCatalog().UpdateTable(updated);
  }
  for (const catalog::SequenceInfo& s : sequence_acls) db_.Catalog().AlterSequence(s.schema, s.name, s);
  for (const auto& [schema, acl] : schema_acls) db_.Catalog().SetSchemaAcl(schema, acl);
  return "DROP OWNED";
}

}  // namespace tessera::executor
