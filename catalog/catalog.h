// The catalog: tables, their columns, indexes and sequences. One interface;
// in embedded mode it is stored in the node's LMDB (lmdb_catalog.h), in a
// cluster in etcd (a later step). Readers take an immutable snapshot
// (CatalogSnapshot) so a statement plans against one consistent version.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/types.h"

namespace tessera::catalog {

struct ColumnInfo {
  std::string name;
  Type type;
  bool not_null = false;
  std::string default_sql;  // default expression as SQL text; empty: none
  bool is_serial = false;   // default is nextval of an owned sequence

  friend bool operator==(const ColumnInfo&, const ColumnInfo&) = default;
};

struct IndexInfo {
  uint32_t id = 0;  // 0 is the primary index (the table's rows)
  std::string name;
  std::vector<int> columns;  // positions in TableInfo::columns
  std::vector<bool> descending;
  bool unique = false;
  bool primary = false;

  friend bool operator==(const IndexInfo&, const IndexInfo&) = default;
};

// A CHECK constraint: its expression as SQL text over the table's columns,
// bound whenever a plan writes the table (planner::MakeTableLayout).
struct CheckInfo {
  std::string name;
  std::string sql;

  friend bool operator==(const CheckInfo&, const CheckInfo&) = default;
};

// A FOREIGN KEY: `columns` of this table reference `ref_columns` of table
// `ref_table` (its primary key or a unique index's columns, in the order
// written). Actions and match type by PostgreSQL's letters
// (pg_constraint.confupdtype, confdeltype, confmatchtype). Checked at the
// end of every statement that writes either table (executor/foreign_keys.h).
struct ForeignKeyInfo {
  std::string name;
  std::vector<int> columns;
  uint32_t ref_table = 0;
  std::vector<int> ref_columns;
  char on_update = 'a';  // a no action, r restrict, c cascade, n set null, d set default
  char on_delete = 'a';
  char match = 's';      // s simple

  friend bool operator==(const ForeignKeyInfo&, const ForeignKeyInfo&) = default;
};

struct TableInfo {
  uint32_t id = 0;  // also the table's OID as pg_catalog shows it
  std::string schema = "public";
  std::string name;
  std::vector<ColumnInfo> columns;
  // Primary key column positions; empty: the table has a hidden row id
  // (an int8 key allocated from the counter "rowid:<id>").
  std::vector<int> primary_key;
  std::string primary_key_name;  // constraint name, e.g. t_pkey
  std::vector<IndexInfo> indexes;  // secondary indexes (not the primary)
  std::vector<CheckInfo> checks;   // in the order PostgreSQL checks them: by name
  std::vector<ForeignKeyInfo> foreign_keys;  // this table's (the referencing side), by name
  // A view (pg_class relkind 'v') has no rows, keys or indexes: its query
  // as SQL text (every `*` of its select lists written out as the columns
  // it stood for at CREATE VIEW and every column reference qualified, so
  // later columns of its tables change nothing), which a FROM item naming
  // the view binds in its place; `columns` are the view's output columns.
  // Empty for a table.
  std::string view_sql;
  // The tables and views the view's query names, by id: they cannot be
  // dropped while the view exists (2BP01).
  std::vector<uint32_t> view_depends_on;

  bool IsView() const { return !view_sql.empty(); }
  bool HasHiddenRowId() const { return primary_key.empty(); }
  std::optional<int> FindColumn(const std::string& name) const;

  friend bool operator==(const TableInfo&, const TableInfo&) = default;
};

// A role (CREATE ROLE / CREATE USER). Membership, VALID UNTIL and
// connection limits are refused with 0A000 until they are enforced.
struct RoleInfo {
  uint32_t oid = 0;  // pg_authid.oid; 10 for the bootstrap superuser
  std::string name;
  bool superuser = false;
  bool inherit = true;
  bool create_role = false;
  bool create_db = false;
  bool can_login = false;
  // SCRAM-SHA-256 verifier in PostgreSQL's format (common/scram.h); empty:
  // no password (password and SCRAM authentication then always fail).
  std::string password;

  friend bool operator==(const RoleInfo&, const RoleInfo&) = default;
};

struct SequenceInfo {
  std::string schema = "public";
  std::string name;
  int64_t increment = 1;
  int64_t start = 1;
  std::string owned_by_table;  // serial columns own their sequence

  friend bool operator==(const SequenceInfo&, const SequenceInfo&) = default;
};

// One catalog change of a transaction's DDL. A transaction keeps its changes
// to itself (executor/ddl_block_catalog.h) and COMMIT applies them all as one
// catalog version (Catalog::Apply).
struct CatalogChange {
  enum class Kind : uint8_t { kCreateTable, kDropTable, kUpdateTable, kRenameSequence, kDropSequence };
  Kind kind = Kind::kCreateTable;
  TableInfo table;   // create: the new table (ids from Allocate*Id); update: the new definition
  TableInfo before;  // drop, update: the definition the transaction saw
  SequenceInfo sequence;  // rename: its final name and owner; drop: the sequence
  std::string from_name;  // rename: the name it was created under
};

// An immutable view of one catalog version.
class CatalogSnapshot {
 public:
  uint64_t Version() const { return version_; }
  // Lookups by name; names are already case-folded by the parser. An empty
  // schema means the search path ("public", then "pg_catalog").
  const TableInfo* FindTable(const std::string& schema, const std::string& name) const;
  const TableInfo* FindTableById(uint32_t id) const;
  // The table owning the named index, and the index (nullptr if absent).
  const TableInfo* FindIndex(const std::string& schema, const std::string& name, const IndexInfo** index) const;
  const SequenceInfo* FindSequence(const std::string& schema, const std::string& name) const;
  const std::map<uint32_t, TableInfo>& Tables() const { return tables_; }
  const std::map<std::string, SequenceInfo>& Sequences() const { return sequences_; }
  const RoleInfo* FindRole(const std::string& name) const;
  const RoleInfo* FindRoleById(uint32_t oid) const;
  const std::map<std::string, RoleInfo>& Roles() const { return roles_; }

  uint64_t version_ = 0;
  std::map<uint32_t, TableInfo> tables_;
  std::map<std::string, SequenceInfo> sequences_;  // key: schema.name
  std::map<std::string, RoleInfo> roles_;          // key: name
};

// The roles of a new catalog: the bootstrap superuser `tessera` (OID 10).
std::map<std::string, RoleInfo> BootstrapRoles();

// Changes are applied whole: each call writes a new version durably and
// returns once readers see it. Throws SqlError (42P07 duplicate table, ...).
class Catalog {
 public:
  virtual ~Catalog() = default;
  virtual std::shared_ptr<const CatalogSnapshot> Snapshot() const = 0;
  // Assigns table->id and the ids of indexes whose id is 0; returns the
  // stored table.
  virtual TableInfo CreateTable(TableInfo table) = 0;
  virtual void DropTable(uint32_t table_id) = 0;
  // Replaces a table's definition (ALTER TABLE, CREATE/DROP INDEX). Index
  // entries for a new index must be built by the caller.
  virtual void UpdateTable(const TableInfo& table) = 0;
  virtual void CreateSequence(const SequenceInfo& seq) = 0;
  virtual void DropSequence(const std::string& schema, const std::string& name) = 0;
  // Next value of a sequence (non-transactional, as in PostgreSQL).
  virtual int64_t NextVal(const std::string& schema, const std::string& name) = 0;
  // A fresh id for a new index of any table.
  virtual uint32_t AllocateIndexId() = 0;
  // A fresh id for a table created by Apply.
  virtual uint32_t AllocateTableId() = 0;
  // Applies `changes` in order as one new version, or none of them: throws
  // 40001 when a table or sequence they drop or update changed since the
  // transaction saw it (concurrent DDL), 42P07 on a name taken meanwhile. A
  // dropped table's stored data stays until ForgetTable.
  virtual void Apply(const std::vector<CatalogChange>& changes) = 0;
  // Roles (not transactional: each call is one catalog version at once).
  // CreateRole assigns the OID (42710 when the name is taken); UpdateRole
  // replaces role `name` (renamed when role.name differs; 42704 when absent,
  // 42710 when the new name is taken); DropRole returns false when absent.
  virtual RoleInfo CreateRole(RoleInfo role);
  virtual void UpdateRole(const std::string& name, const RoleInfo& role);
  virtual bool DropRole(const std::string& name);
  // Drops whatever data the store keeps for a table no longer in the catalog.
  virtual void ForgetTable(uint32_t table_id) { (void)table_id; }
};

// `change` applied to `snapshot` (and to `counters`, the sequences' counter
// ids, when given). `strict`: fail as Apply does when the change's `before`
// is not what is there; otherwise it replaces whatever is there, and is
// skipped only when its table or sequence is gone.
void ApplyChange(CatalogSnapshot& snapshot, std::map<std::string, int64_t>* counters, const CatalogChange& change,
                 bool strict);
// Tables, indexes and sequences share one namespace per schema (42P07).
void CheckRelationNames(const CatalogSnapshot& snapshot);
// Every relation a view depends on exists (40001 otherwise, as for other
// concurrent DDL): one transaction created a view on a table another dropped.
void CheckViewDependencies(const CatalogSnapshot& snapshot);
// Every table a foreign key references exists (40001 otherwise): one
// transaction added a foreign key to a table another dropped.
void CheckForeignKeyReferences(const CatalogSnapshot& snapshot);
// The foreign keys that reference table `id` (from any table, itself too),
// each with its table.
std::vector<std::pair<const TableInfo*, const ForeignKeyInfo*>> ReferencingKeys(const CatalogSnapshot& snapshot,
                                                                               uint32_t id);
// The views that name `id` in their query (directly).
std::vector<const TableInfo*> DependentViews(const CatalogSnapshot& snapshot, uint32_t id);

}  // namespace tessera::catalog
