// DDL: CREATE/DROP TABLE, VIEW and INDEX, ALTER TABLE, TRUNCATE. Catalog changes
// go through catalog::Catalog (applied at once, as its versions are whole);
// the data they touch is written in the session's transaction: bulk work
// (table rewrites, truncation, drops) as fragments, so in a cluster every
// shard does its part locally; index builds and drops through the
// key-value view.
#pragma once

#include <functional>
#include <string>

#include "catalog/catalog.h"
#include "common/value.h"
#include "parser/parser.h"
#include "executor/physical_operator.h"
#include "storage/engine.h"

namespace tessera::executor {

// Notices (e.g. "relation ... already exists, skipping") go to this callback.
using NoticeFn = std::function<void(const std::string& sqlstate, const std::string& message)>;

class DdlExecutor {
 public:
  // `allocate` hands out hidden row ids ("rowid:<table id>") for rewrites.
  DdlExecutor(catalog::Catalog& catalog, storage::Transaction& txn, FragmentExecutor& fragments, NoticeFn notice,
              std::function<int64_t(const std::string&, int64_t)> allocate)
      : catalog_(catalog),
        txn_(txn),
        fragments_(fragments),
        notice_(std::move(notice)),
        allocate_(std::move(allocate)) {}

  // Runs the statement and returns its command tag.
  std::string Execute(const ast::Statement& stmt);

  // For index builds while others write (index_fence.h): whether a table is
  // this transaction's own (created in it, so nobody else writes it), and
  // a new snapshot for the build (false where the isolation level keeps one).
  void SetBuildSnapshot(std::function<bool(uint32_t)> own_table, std::function<bool()> refresh) {
    own_table_ = std::move(own_table);
    refresh_snapshot_ = std::move(refresh);
  }

 private:
  std::string CreateTable(const ast::CreateTableStmt& stmt);
  std::string DropTable(const ast::DropTableStmt& stmt);
  std::string CreateIndex(const ast::CreateIndexStmt& stmt);
  std::string DropIndex(const ast::DropIndexStmt& stmt);
  std::string AlterTable(const ast::AlterTableStmt& stmt);
  std::string Truncate(const ast::TruncateStmt& stmt);
  // Views (ddl_view.cpp). DropRelations serves DROP TABLE (`views` false)
  // and DROP VIEW: 42809 for the other kind, 2BP01 when views outside the
  // list depend on them (they go too with `cascade`).
  std::string CreateView(const ast::CreateViewStmt& stmt);
  std::string DropRelations(const std::vector<ast::QualifiedName>& names, bool if_exists, bool cascade, bool views);
  void DropRelation(const catalog::TableInfo& relation);
  // ALTER TABLE of a view (42809, renames 0A000), or a rename or drop of a
  // table or column a view uses (0A000, 2BP01).
  void CheckAlterAllowedByViews(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& table,
                                const ast::AlterTableStmt& stmt);
  void AddPrimaryKey(catalog::TableInfo table, const ast::TableConstraint& constraint);
  void AddIndex(catalog::TableInfo table, std::string name, const std::vector<std::string>& columns,
                const std::vector<bool>& descending, bool unique);
  // Deletes every row of `table` (and its index entries) as it is stored now.
  void DeleteTableData(const catalog::TableInfo& table);
  // Reads every row of `table` (used by rewrites).
  std::vector<Row> ReadAllRows(const catalog::TableInfo& table);
  void WriteAllRows(const catalog::TableInfo& table, const std::vector<Row>& rows);
  const catalog::TableInfo& Lookup(const ast::QualifiedName& name, bool if_exists);
  // CHECK constraints (ddl_constraints.cpp). AddCheck binds `sql` over the
  // table's columns, names it (`column` for a column constraint) and adds it.
  catalog::CheckInfo AddCheck(catalog::TableInfo& table, const std::string& name, const std::string& sql,
                              const std::string& column);
  // 23514 unless every stored row satisfies `check`.
  void ValidateCheck(const catalog::TableInfo& table, const catalog::CheckInfo& check);
  // After DROP COLUMN (drops the checks that used it) or RENAME COLUMN
  // (refused, 0A000, when a check uses it).
  void KeepChecksValid(catalog::TableInfo& table, const std::string& dropped_column,
                       const std::string& renamed_column);

  // FOREIGN KEY constraints (ddl_foreign_keys.cpp). AddForeignKey resolves
  // and names the constraint and adds it to `table` (`new_uniques`: the
  // unique constraints a CREATE TABLE is making, which a table referencing
  // itself may name).
  void AddForeignKey(catalog::TableInfo& table, const std::vector<std::string>& columns,
                     const ast::ForeignKeyClause& clause, const std::string& name,
                     const std::vector<std::pair<std::string, std::vector<std::string>>>& new_uniques);
  // 23503 unless every stored row of `table` satisfies `fk`.
  void ValidateForeignKey(const catalog::TableInfo& table, const catalog::ForeignKeyInfo& fk);
  std::string DropConstraint(catalog::TableInfo table, const ast::AlterTableStmt& stmt);

  catalog::Catalog& catalog_;
  storage::Transaction& txn_;
  FragmentExecutor& fragments_;
  NoticeFn notice_;
  std::function<int64_t(const std::string&, int64_t)> allocate_;
  std::shared_ptr<const catalog::CatalogSnapshot> snapshot_;
  std::function<bool(uint32_t)> own_table_;
  std::function<bool()> refresh_snapshot_;
};

}  // namespace tessera::executor
