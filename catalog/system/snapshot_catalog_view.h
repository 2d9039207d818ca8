// The catalog-reading built-ins' view (common/catalog_view.h) over a catalog
// snapshot: either one the caller holds for the view's lifetime (the binder
// folding constants) or the newest snapshot, fetched at each question (a
// session, whose statements were planned against that catalog version: a
// plan made against an older version is made again before it runs).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/system/class_entries.h"
#include "common/catalog_view.h"

namespace tessera::catalog::system {

class SnapshotCatalogView final : public CatalogView {
 public:
  using Fetch = std::function<std::shared_ptr<const CatalogSnapshot>()>;
  explicit SnapshotCatalogView(const CatalogSnapshot& snapshot) : fixed_(&snapshot) {}
  explicit SnapshotCatalogView(Fetch fetch) : fetch_(std::move(fetch)) {}

  std::optional<int64_t> RelationOid(const std::string& name) const override;
  std::optional<std::string> RelationName(int64_t oid) const override;
  bool RelationVisible(int64_t oid) const override;
  bool RelationPublishable(int64_t oid) const override;
  std::optional<std::string> IndexDefinition(int64_t oid, int column, bool pretty) const override;
  std::optional<std::string> Description(int64_t oid, const std::string& catalog, int32_t subid) const override;
  std::optional<std::string> ConstraintDefinition(int64_t oid) const override;
  std::optional<std::string> ViewDefinition(int64_t oid, bool pretty) const override;
  std::optional<std::string> RoleName(int64_t oid) const override;
  std::optional<std::string> NamespaceName(int64_t oid) const override;
  std::optional<std::string> FunctionResult(int64_t oid) const override;
  std::optional<std::string> FunctionArguments(int64_t oid) const override;
  std::string DatabaseName() const override;
  std::optional<bool> HasPrivilege(const PrivilegeQuestion& question) const override;  // snapshot_privileges.cpp
  SignalRight MaySignal(const std::string& user) const override;                       // snapshot_privileges.cpp
  std::optional<std::string> SerialSequence(const std::string& table,
                                            const std::string& column) const override;  // snapshot_serial_sequence.cpp
  // current_user, for the questions that name no role (the bootstrap superuser when unset).
  void SetCurrentUser(std::function<std::string()> current_user) { current_user_ = std::move(current_user); }

 private:
  // The relations of one snapshot, indexed: a catalog query asks about every
  // row it reads, so each question must not walk the whole catalog. Built
  // once per snapshot and shared; it keeps a fetched snapshot alive.
  struct Relations {
    std::shared_ptr<const CatalogSnapshot> owner;
    const CatalogSnapshot* snapshot = nullptr;
    std::vector<ClassEntry> entries;
    std::unordered_map<uint32_t, const ClassEntry*> by_oid;
    std::unordered_map<std::string, const ClassEntry*> by_name;  // "schema.name"
    const ClassEntry* Find(uint32_t oid) const;
    // An unqualified name searches Tessera's path: public, then pg_catalog.
    const ClassEntry* Find(const std::string& schema, const std::string& name) const;
    bool Visible(const ClassEntry& e) const;
  };
  std::shared_ptr<const Relations> Get() const;

  const CatalogSnapshot* fixed_ = nullptr;
  Fetch fetch_;
  std::function<std::string()> current_user_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const Relations> cached_;
};

}  // namespace tessera::catalog::system
