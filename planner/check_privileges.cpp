// The privilege check of SELECT, INSERT, UPDATE and DELETE (PostgreSQL's
// ExecCheckRTPerms, done here once the statement is bound): every relation
// the statement names, and every relation a view it names reads (with the
// view owner's rights), needs its privileges, and its schema USAGE.
#include "catalog/acl.h"
#include "common/error.h"
#include "common/temp_schema.h"
#include "planner/binder.h"

namespace tessera::planner {

void Binder::Require(const catalog::TableInfo& table, uint32_t mask) const {
  // Another session's temp table resolves only by its schema's name, and its
  // rows are that session's alone (PostgreSQL: the same 0A000).
  if (IsOtherTempSchema(table.schema))
    throw SqlError::FeatureNotSupported("cannot access temporary tables of other sessions");
  if (privileges_ != nullptr) privileges_->push_back({table.id, mask, check_as_});
}

void CheckPrivileges(const catalog::CatalogSnapshot& catalog, const std::vector<RequiredPrivilege>& required,
                     uint32_t current_role) {
  for (const RequiredPrivilege& r : required) {
    const catalog::TableInfo* table = catalog.FindTableById(r.relation);
    if (table == nullptr) continue;
    uint32_t role = r.check_as != 0 ? r.check_as : current_role;
    catalog::CheckSchemaPrivileges(catalog, table->schema, role, catalog::privilege::kUsage);
    catalog::CheckTablePrivileges(catalog, *table, role, r.mask);
  }
}

}  // namespace tessera::planner
