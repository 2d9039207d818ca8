// The system relation declarations (catalog/system/) agree with their row
// generators, their names and OIDs are unique, and the catalog view the
// catalog-reading built-ins ask answers from a snapshot.
#include <gtest/gtest.h>

#include <set>

#include "catalog/system/class_entries.h"
#include "catalog/system/snapshot_catalog_view.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {
namespace {

CatalogSnapshot SampleSnapshot() {
  CatalogSnapshot s;
  TableInfo t;
  t.id = 16384;
  t.name = "items";
  t.columns = {{"id", Type::Of(TypeId::kInt4), true, "nextval('items_id_seq'::regclass)", true},
               {"Name", Type::Varchar(20), true, "", false},
               {"price", Type::Numeric(10, 2), false, "0", false}};
  t.primary_key = {0};
  t.primary_key_name = "items_pkey";
  t.indexes.push_back({7, "items_name", {1, 2}, {false, true}, false, false});
  s.tables_.emplace(t.id, t);
  SequenceInfo seq;
  seq.name = "items_id_seq";
  seq.type = TypeId::kInt4;  // as CREATE TABLE stores a serial column's sequence
  seq.max_value = 2147483647;
  seq.owned_by_table = "items";
  seq.owned_by_column = "id";
  s.sequences_.emplace("public.items_id_seq", seq);
  return s;
}

TEST(SystemRelationTest, NamesOidsAndColumnsAreUnique) {
  std::set<std::string> names;
  std::set<uint32_t> oids;
  for (const SystemRelation* r : SystemRelations()) {
    EXPECT_TRUE(names.insert(std::string(r->schema) + "." + r->name).second) << r->name;
    EXPECT_TRUE(oids.insert(r->oid).second) << r->name;
    EXPECT_TRUE(IsSystemSchema(r->schema)) << r->name;
    std::set<std::string> columns;
    for (const SystemColumn& c : r->columns) EXPECT_TRUE(columns.insert(c.name).second) << r->name << "." << c.name;
    EXPECT_EQ(FindSystemRelation(r->schema, r->name), r);
  }
  EXPECT_NE(FindSystemRelation("", "pg_class"), nullptr);
  EXPECT_EQ(FindSystemRelation("", "tables"), nullptr);  // information_schema must be named
}

TEST(SystemRelationTest, EveryGeneratorMatchesItsDeclaration) {
  CatalogSnapshot snapshot = SampleSnapshot();
  for (const SystemRelation* r : SystemRelations()) {
    std::vector<Row> rows;
    ASSERT_NO_THROW(rows = GenerateSystemRows(*r, snapshot)) << r->name;
    for (const Row& row : rows)
      for (size_t i = 0; i < row.size(); ++i) EXPECT_EQ(row[i].Id(), SystemColumnType(r->columns[i]).id) << r->name;
  }
}

TEST(SystemRelationTest, ClassEntriesHaveDistinctOids) {
  CatalogSnapshot snapshot = SampleSnapshot();
  std::set<uint32_t> oids;
  for (const ClassEntry& e : ClassEntries(snapshot)) EXPECT_TRUE(oids.insert(e.oid).second) << e.name;
  EXPECT_EQ(ClassEntries(snapshot, false).size(), 4u);  // table, its two indexes, the sequence
}

TEST(SnapshotCatalogViewTest, AnswersFromTheSnapshot) {
  CatalogSnapshot snapshot = SampleSnapshot();
  SnapshotCatalogView view(snapshot);
  EXPECT_EQ(view.RelationOid("items"), 16384);
  EXPECT_EQ(view.RelationOid("public.ITEMS"), 16384);  // unquoted names fold to lower case
  EXPECT_EQ(view.RelationOid("\"ITEMS\""), std::nullopt);
  EXPECT_EQ(view.RelationOid("pg_class"), 1259);
  EXPECT_EQ(view.RelationOid("information_schema.tables"), 13100);
  EXPECT_EQ(view.RelationName(IndexOid(7)), "items_name");
  EXPECT_EQ(view.RelationName(13100), "information_schema.tables");  // not on the search path
  EXPECT_TRUE(view.RelationVisible(16384));
  EXPECT_FALSE(view.RelationVisible(13100));
  EXPECT_FALSE(view.RelationVisible(99));
  EXPECT_EQ(view.IndexDefinition(IndexOid(7), 0, false),
            "CREATE INDEX items_name ON public.items USING btree (\"Name\", price DESC)");
  EXPECT_EQ(view.IndexDefinition(PrimaryIndexOid(16384), 0, true),
            "CREATE UNIQUE INDEX items_pkey ON items USING btree (id)");
  EXPECT_EQ(view.IndexDefinition(IndexOid(7), 1, true), "\"Name\"");
  EXPECT_EQ(view.IndexDefinition(16384, 0, true), std::nullopt);  // a table, not an index
  EXPECT_EQ(view.ConstraintDefinition(PrimaryConstraintOid(16384)), "PRIMARY KEY (id)");
  EXPECT_EQ(view.RoleName(kBootstrapRoleOid), kBootstrapRoleName);
  EXPECT_EQ(view.NamespaceName(kPublicNamespaceOid), "public");
}

TEST(SystemRelationTest, PgSequenceShowsTheStoredOptions) {
  CatalogSnapshot snapshot = SampleSnapshot();
  std::vector<Row> rows = GenerateSystemRows(*FindSystemRelation("pg_catalog", "pg_sequence"), snapshot);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1].GetInt(), 23);          // seqtypid: int4, the serial column's type
  EXPECT_EQ(rows[0][4].GetInt(), 2147483647);  // seqmax
  // pg_depend: the sequence depends on its column (deptype 'a'), attnum 1,
  // and the column's nextval default on the sequence (pg_attrdef, 'n').
  rows = GenerateSystemRows(*FindSystemRelation("pg_catalog", "pg_depend"), snapshot);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][5].GetInt(), 1);
  EXPECT_EQ(rows[0][6].GetString(), "a");
  EXPECT_EQ(rows[1][0].GetInt(), 2604);  // classid: pg_attrdef
  EXPECT_EQ(rows[1][6].GetString(), "n");
}

}  // namespace
}  // namespace tessera::catalog::system
