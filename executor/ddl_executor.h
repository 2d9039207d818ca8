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

// CREATE/ALTER SEQUENCE options over `seq` (PostgreSQL's init_params; with
// `is_init` the defaults of CREATE); true when RESTART was written.
bool ApplySequenceOptions(catalog::SequenceInfo& seq, const std::vector<ast::SequenceOption>& options, bool is_init);

// 2BP01 when a foreign key finds its referenced rows through `index`;
// `dropped` names what the statement drops ("constraint k on table t"),
// empty for the index itself.
void CheckIndexNotReferenced(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& table,
                             const catalog::IndexInfo& index, const std::string& dropped);

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

  // The role running the statement (current_user): it owns what it creates,
  // needs CREATE on the schema for that, and must own what it alters or
  // drops (42501); TRUNCATE needs the TRUNCATE privilege.
  void SetRole(uint32_t role) { role_ = role; }

  // The session's temp schema, made at its first temp table
  // (SqlSession::EnsureTempSchema); without it CREATE TEMP TABLE is 0A000.
  void SetTempSchema(std::function<const std::string&()> temp_schema) { temp_schema_ = std::move(temp_schema); }

  // CREATE TABLE AS: the query's columns, which the table gets instead of
  // column definitions; SkippedExisting() then tells whether IF NOT EXISTS
  // found the table there (and nothing is to be inserted).
  void SetQueryColumns(const std::vector<catalog::ColumnInfo>* columns) { query_columns_ = columns; }
  bool SkippedExisting() const { return skipped_existing_; }

  // For index builds while others write (index_fence.h): whether a table is
  // this transaction's own (created in it, so nobody else writes it), and
  // a new snapshot for the build (false where the isolation level keeps one).
  void SetBuildSnapshot(std::function<bool(uint32_t)> own_table, std::function<bool()> refresh) {
    own_table_ = std::move(own_table);
    refresh_snapshot_ = std::move(refresh);
  }

 private:
  // 42501 "must be owner of table t" unless the role has the owner's rights.
  void CheckOwner(const catalog::TableInfo& table) const;
  void CheckOwner(const catalog::SequenceInfo& sequence) const;
  // 42501 "permission denied for schema s" without CREATE there.
  void CheckCreateIn(const std::string& schema) const;
  std::string CreateTable(const ast::CreateTableStmt& stmt);
  // The schema CREATE TABLE puts its table in: the session's temp schema
  // for TEMP or a pg_temp name (42P16 for a TEMP table elsewhere, ON COMMIT
  // on a permanent one), else the one written or public.
  std::string CreationSchema(const ast::CreateTableStmt& stmt);
  std::string DropTable(const ast::DropTableStmt& stmt);
  std::string CreateIndex(const ast::CreateIndexStmt& stmt);
  std::string DropIndex(const ast::DropIndexStmt& stmt);
  std::string AlterTable(const ast::AlterTableStmt& stmt);
  std::string Truncate(const ast::TruncateStmt& stmt);
  std::string Comment(const ast::CommentStmt& stmt);  // ddl_comment.cpp
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
  // GENERATED BY DEFAULT AS IDENTITY on `def` (a serial with its options);
  // 0A000 for ALWAYS and generated expressions, PostgreSQL's errors else.
  static void CheckIdentity(const ast::ColumnDef& def, const catalog::ColumnInfo& column, bool is_serial,
                            const std::string& table);
  // Sequences (ddl_sequence.cpp).
  std::string CreateSequence(const ast::CreateSequenceStmt& stmt);
  std::string AlterSequence(const ast::AlterSequenceStmt& stmt);
  std::string DropSequence(const ast::DropSequenceStmt& stmt);
  // OWNED BY table.column | NONE among `options`, checked as PostgreSQL does.
  void ApplyOwnedBy(catalog::SequenceInfo& seq, const std::vector<ast::SequenceOption>& options);
  // The sequence `name` (nullptr when absent with `if_exists`, after a
  // notice); 42P01 "<missing_what> ... does not exist", 42809 for a table.
  const catalog::SequenceInfo* LookupSequence(const ast::QualifiedName& name, const char* missing_what, bool if_exists);
  // The columns whose default calls nextval of `seq` (table, column position).
  static std::vector<std::pair<const catalog::TableInfo*, int>> SequenceUsers(const catalog::CatalogSnapshot& snapshot,
                                                                              const catalog::SequenceInfo& seq);
  void AddPrimaryKey(catalog::TableInfo table, const ast::TableConstraint& constraint);
  void AddIndex(catalog::TableInfo table, std::string name, const std::vector<std::string>& columns,
                const std::vector<bool>& descending, bool unique, bool constraint = false);
  // Removes index `id`'s entries on every shard and the index from `table`
  // (which the caller then stores).
  void DropIndexData(catalog::TableInfo& table, uint32_t id);
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
  // 42804 (0A000 for pairs Tessera does not compare yet) unless the key
  // columns of `fk` in `child` and in `parent` can be compared as keys.
  static void CheckForeignKeyTypes(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                                   const catalog::TableInfo& parent);
  std::string DropConstraint(catalog::TableInfo table, const ast::AlterTableStmt& stmt);
  // ALTER TABLE ... ALTER COLUMN: [SET DATA] TYPE (a rewrite of every row),
  // SET / DROP DEFAULT, SET / DROP NOT NULL (ddl_alter_column.cpp).
  std::string AlterColumn(catalog::TableInfo table, const ast::AlterTableStmt& stmt);

  catalog::Catalog& catalog_;
  uint32_t role_ = 10;  // the bootstrap superuser unless SetRole
  storage::Transaction& txn_;
  FragmentExecutor& fragments_;
  NoticeFn notice_;
  std::function<int64_t(const std::string&, int64_t)> allocate_;
  std::shared_ptr<const catalog::CatalogSnapshot> snapshot_;
  std::function<bool(uint32_t)> own_table_;
  std::function<bool()> refresh_snapshot_;
  std::function<const std::string&()> temp_schema_;
  const std::vector<catalog::ColumnInfo>* query_columns_ = nullptr;
  bool skipped_existing_ = false;
};

}  // namespace tessera::executor
