// FOREIGN KEY enforcement at the gateway, at the end of each statement that
// writes a referencing or referenced table (MATCH SIMPLE, NO ACTION,
// RESTRICT, CASCADE, SET NULL, SET DEFAULT). Write fragments return the rows
// they wrote (planner: Fragment::fk_returning); every check and action is a
// fragment too, so embedded mode and the cluster share this code:
//  - a row written to the referencing table needs its key in the referenced
//    table: found by an update there that changes nothing (PostgreSQL takes
//    FOR KEY SHARE), which keeps the referenced row from being deleted until
//    this transaction ends and makes a deleter that waited for it see a
//    newer version (see HasRow);
//  - a key gone from the referenced table (deleted, or updated away) must
//    not be referenced: a read of the referencing table (NO ACTION first
//    looks whether another row now has that key), or a delete / update
//    there for CASCADE, SET NULL and SET DEFAULT, whose own rows are
//    checked the same way in turn.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "executor/physical_operator.h"

namespace tessera::executor {

class ForeignKeyChecker {
 public:
  // `refresh_snapshot`: READ COMMITTED's new snapshot (nothing under
  // REPEATABLE READ), taken before each statement's checks.
  ForeignKeyChecker(std::shared_ptr<const catalog::CatalogSnapshot> catalog, FragmentExecutor& fragments,
                    std::function<void()> refresh_snapshot = {})
      : catalog_(std::move(catalog)), fragments_(fragments), refresh_snapshot_(std::move(refresh_snapshot)) {}

  // After a statement wrote table `table_id`: the rows it inserted
  // (`old_rows` empty), deleted (`new_rows` empty) or updated (both, row i
  // of one being row i of the other). Throws 23503.
  void AfterWrite(uint32_t table_id, const std::vector<Row>& new_rows, const std::vector<Row>& old_rows);
  // 23503 unless every one of `rows` of `child` satisfies `fk` (ALTER TABLE
  // ADD FOREIGN KEY over the existing rows).
  void CheckReferencingRows(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                            const std::vector<Row>& rows);

 private:
  void CheckParentsExist(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                         const std::vector<Row>& new_rows, const std::vector<Row>& old_rows);
  void ActOnChildren(const catalog::TableInfo& parent, const catalog::TableInfo& child,
                     const catalog::ForeignKeyInfo& fk, const std::vector<Row>& new_rows,
                     const std::vector<Row>& old_rows);
  // Whether `table` has a row whose `columns` equal `key` (locked, when `lock`).
  bool HasRow(const catalog::TableInfo& table, const std::vector<int>& columns, const std::vector<Value>& key,
              bool lock);
  // HasRow (locking) of keys[start, end) of a one-column primary key in one
  // fragment; false unless every one is there.
  bool LockKeyList(const catalog::TableInfo& table, const std::vector<std::vector<Value>>& keys, size_t start,
                   size_t end);
  // Runs an update (`set` non-empty: column -> value) or delete of the rows
  // of `child` whose `fk` columns equal `key`, then checks what it wrote.
  void WriteChildren(const catalog::TableInfo& child, const catalog::ForeignKeyInfo& fk,
                     const std::vector<Value>& key, const std::vector<std::pair<int, planner::ExprRef>>& set,
                     bool remove);

  std::shared_ptr<const catalog::CatalogSnapshot> catalog_;
  FragmentExecutor& fragments_;
  std::function<void()> refresh_snapshot_;
  int depth_ = 0;
};

// For the write operators: splits the foreign-key values off the rows a
// write fragment returned (leaving the client's RETURNING values) and runs
// the checks through ctx.foreign_keys.
void CheckForeignKeys(ExecContext& ctx, const planner::Fragment& fragment, std::vector<Row>* rows);

}  // namespace tessera::executor
