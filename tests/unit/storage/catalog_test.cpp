#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include "catalog/lmdb_catalog.h"
#include "common/error.h"
#include "storage/engine.h"
#include "storage/key_encoding.h"

namespace tessera::catalog {
namespace {

// A sequence as CREATE SEQUENCE would store it: the default bounds for the
// direction of `increment`, its first value `start`.
SequenceInfo Seq(const std::string& schema, const std::string& name, int64_t increment, int64_t start,
                 const std::string& owner) {
  SequenceInfo seq;
  seq.schema = schema;
  seq.name = name;
  seq.increment = increment;
  seq.start = seq.last_value = start;
  seq.min_value = increment > 0 ? 1 : INT64_MIN;
  seq.max_value = increment > 0 ? INT64_MAX : -1;
  if (increment < 0) seq.max_value = std::max<int64_t>(start, -1);
  seq.owned_by_table = owner;
  return seq;
}

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tessera_catalog_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    catalog_.reset();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    catalog_.reset();
    engine_.reset();
    storage::EngineOptions options;
    options.map_size = size_t{1} << 30;
    options.sync = false;
    engine_ = storage::Engine::Open(dir_.string(), options);
    catalog_ = OpenLmdbCatalog(*engine_);
  }
  static TableInfo Table(const std::string& name) {
    TableInfo t;
    t.name = name;
    t.columns = {{"id", Type::Of(TypeId::kInt4), true, "", false}, {"v", Type::Of(TypeId::kText), false, "", false}};
    t.primary_key = {0};
    return t;
  }
  static void ExpectError(const std::function<void()>& f, const std::string& sqlstate, const std::string& message) {
    try {
      f();
      FAIL() << "expected " << sqlstate;
    } catch (const SqlError& e) {
      EXPECT_EQ(e.Sqlstate(), sqlstate);
      EXPECT_EQ(e.Message(), message);
    }
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Engine> engine_;
  std::unique_ptr<Catalog> catalog_;
};

TEST_F(CatalogTest, CreateAssignsIdsAndSurvivesReopen) {
  TableInfo t = Table("t");
  t.indexes.push_back(IndexInfo{0, "t_v_idx", {1}, {true}, false, false});
  TableInfo stored = catalog_->CreateTable(t);
  EXPECT_EQ(stored.id, kFirstUserTableId);
  EXPECT_EQ(stored.primary_key_name, "t_pkey");
  ASSERT_EQ(stored.indexes.size(), 1u);
  EXPECT_GE(stored.indexes[0].id, 1u);
  TableInfo u = Table("u");
  uint32_t preset = catalog_->AllocateIndexId();
  EXPECT_GT(preset, stored.indexes[0].id);
  u.indexes.push_back(IndexInfo{preset, "u_v_idx", {1}, {false}, false, false});
  u = catalog_->CreateTable(u);
  EXPECT_EQ(u.id, kFirstUserTableId + 1);
  EXPECT_EQ(u.indexes[0].id, preset);  // a caller-assigned id is kept
  uint64_t version = catalog_->Snapshot()->Version();
  EXPECT_EQ(version, 2u);

  Reopen();
  auto snap = catalog_->Snapshot();
  EXPECT_EQ(snap->Version(), version);
  const TableInfo* found = snap->FindTable("", "t");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id, stored.id);
  EXPECT_EQ(found->columns.size(), 2u);
  EXPECT_EQ(found->columns[1].type, Type::Of(TypeId::kText));
  EXPECT_TRUE(found->columns[0].not_null);
  EXPECT_EQ(found->FindColumn("v"), 1);
  EXPECT_FALSE(found->FindColumn("nope").has_value());
  EXPECT_EQ(snap->FindTableById(u.id)->name, "u");
  const IndexInfo* index = nullptr;
  EXPECT_EQ(snap->FindIndex("public", "t_v_idx", &index), found);
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->descending, std::vector<bool>{true});
  EXPECT_EQ(snap->FindTable("other", "t"), nullptr);
  // Ids are never reused, even after a restart.
  EXPECT_EQ(catalog_->CreateTable(Table("w")).id, kFirstUserTableId + 2);
}

TEST_F(CatalogTest, DuplicatesMatchPostgres) {
  TableInfo t = Table("t");
  t.indexes.push_back(IndexInfo{0, "i", {1}, {false}, false, false});
  catalog_->CreateTable(t);
  ExpectError([&] { catalog_->CreateTable(Table("t")); }, "42P07", "relation \"t\" already exists");
  ExpectError([&] { catalog_->CreateTable(Table("i")); }, "42P07", "relation \"i\" already exists");
  ExpectError([&] { catalog_->CreateTable(Table("t_pkey")); }, "42P07", "relation \"t_pkey\" already exists");
  ExpectError([&] { catalog_->CreateSequence(Seq("public", "t", 1, 1, "")); }, "42P07",
              "relation \"t\" already exists");
  // A duplicate index name through UpdateTable (CREATE INDEX).
  TableInfo updated = *catalog_->Snapshot()->FindTable("", "t");
  updated.indexes.push_back(IndexInfo{0, "i", {0}, {false}, false, false});
  ExpectError([&] { catalog_->UpdateTable(updated); }, "42P07", "relation \"i\" already exists");
  TableInfo dup_cols = Table("d");
  dup_cols.columns.push_back(dup_cols.columns[0]);
  ExpectError([&] { catalog_->CreateTable(dup_cols); }, "42701", "column \"id\" specified more than once");
  // Failed changes leave the catalog as it was.
  EXPECT_EQ(catalog_->Snapshot()->Version(), 1u);
  EXPECT_EQ(catalog_->Snapshot()->Tables().size(), 1u);
}

TEST_F(CatalogTest, UpdateTableAddsIndex) {
  TableInfo t = catalog_->CreateTable(Table("t"));
  t.indexes.push_back(IndexInfo{0, "t_v", {1}, {false}, true, false});
  catalog_->UpdateTable(t);
  auto snap = catalog_->Snapshot();
  const IndexInfo* index = nullptr;
  ASSERT_NE(snap->FindIndex("", "t_v", &index), nullptr);
  EXPECT_GE(index->id, 1u);
  EXPECT_TRUE(index->unique);
  TableInfo missing = Table("ghost");
  missing.id = 99999;
  ExpectError([&] { catalog_->UpdateTable(missing); }, "42P01", "relation \"ghost\" does not exist");
}

TEST_F(CatalogTest, OldSnapshotStaysConsistent) {
  catalog_->CreateTable(Table("t"));
  auto before = catalog_->Snapshot();
  catalog_->CreateTable(Table("u"));
  EXPECT_EQ(before->FindTable("", "u"), nullptr);
  EXPECT_NE(catalog_->Snapshot()->FindTable("", "u"), nullptr);
  EXPECT_EQ(before->Version() + 1, catalog_->Snapshot()->Version());
}

TEST_F(CatalogTest, DropTableDeletesRowsAndOwnedSequence) {
  TableInfo t = catalog_->CreateTable(Table("t"));
  TableInfo u = catalog_->CreateTable(Table("u"));
  catalog_->CreateSequence(Seq("public", "t_id_seq", 1, 1, "t"));
  {
    auto txn = engine_->Begin();
    for (uint32_t index : {0u, 1u}) {
      for (int i = 0; i < 10; ++i) {
        std::string key = storage::KeyPrefix(t.id, index);
        storage::AppendKeyValue(&key, Value::Int4(i));
        txn->Put(key, "row");
      }
    }
    std::string other = storage::KeyPrefix(u.id, 0);
    storage::AppendKeyValue(&other, Value::Int4(1));
    txn->Put(other, "keep");
    txn->Commit();
  }
  catalog_->DropTable(t.id);
  EXPECT_EQ(catalog_->Snapshot()->FindTable("", "t"), nullptr);
  EXPECT_EQ(catalog_->Snapshot()->FindSequence("", "t_id_seq"), nullptr);
  auto txn = engine_->Begin();
  std::vector<std::string> keys;
  for (auto it = txn->Scan("", ""); it->Valid(); it->Next()) keys.emplace_back(it->Key());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].substr(0, 8), storage::KeyPrefix(u.id, 0));
  txn.reset();
  ExpectError([&] { catalog_->DropTable(t.id); }, "42P01",
              "table with OID " + std::to_string(t.id) + " does not exist");
  // The name is free again and gets a fresh id.
  EXPECT_GT(catalog_->CreateTable(Table("t")).id, u.id);
}

// A view is a table entry with its query text and dependencies; both survive
// a restart, and Apply refuses a version where a view outlives what it reads.
TEST_F(CatalogTest, ViewSurvivesReopenAndKeepsItsDependencies) {
  TableInfo t = catalog_->CreateTable(Table("t"));
  TableInfo v;
  v.name = "v";
  v.columns = {{"id", Type::Of(TypeId::kInt4), false, "", false}};
  v.view_sql = "SELECT t.id FROM t";
  v.view_depends_on = {t.id};
  v.id = catalog_->AllocateTableId();
  CatalogChange create;
  create.kind = CatalogChange::Kind::kCreateTable;
  create.table = v;
  create.table.schema = "public";
  catalog_->Apply({create});

  Reopen();
  auto snap = catalog_->Snapshot();
  const TableInfo* found = snap->FindTable("", "v");
  ASSERT_NE(found, nullptr);
  EXPECT_TRUE(found->IsView());
  EXPECT_FALSE(snap->FindTable("", "t")->IsView());
  EXPECT_EQ(found->view_sql, "SELECT t.id FROM t");
  EXPECT_EQ(found->view_depends_on, std::vector<uint32_t>{t.id});
  ASSERT_EQ(DependentViews(*snap, t.id).size(), 1u);
  EXPECT_EQ(DependentViews(*snap, t.id)[0]->name, "v");

  CatalogChange drop;
  drop.kind = CatalogChange::Kind::kDropTable;
  drop.before = *snap->FindTable("", "t");
  ExpectError([&] { catalog_->Apply({drop}); }, "40001",
              "could not serialize access due to concurrent DDL on relation \"v\"");
  EXPECT_NE(catalog_->Snapshot()->FindTable("", "t"), nullptr);
  CatalogChange drop_view;
  drop_view.kind = CatalogChange::Kind::kDropTable;
  drop_view.before = *found;
  catalog_->Apply({drop_view, drop});
  EXPECT_EQ(catalog_->Snapshot()->FindTable("", "t"), nullptr);
}

TEST_F(CatalogTest, SequenceValues) {
  catalog_->CreateSequence(Seq("public", "s", 1, 1, ""));
  catalog_->CreateSequence(Seq("", "down", -5, 100, ""));
  for (int64_t i = 1; i <= 40; ++i) EXPECT_EQ(catalog_->NextVal("", "s"), i);
  EXPECT_EQ(catalog_->NextVal("public", "down"), 100);
  EXPECT_EQ(catalog_->NextVal("public", "down"), 95);
  ExpectError([&] { catalog_->NextVal("", "nope"); }, "42P01", "relation \"nope\" does not exist");
  ExpectError([&] { catalog_->CreateSequence(Seq("public", "s", 1, 1, "")); }, "42P07",
              "relation \"s\" already exists");

  // After a restart values go on past the cached block, never repeating.
  Reopen();
  int64_t after = catalog_->NextVal("", "s");
  EXPECT_GT(after, 40);
  EXPECT_LE(after, 40 + kSequenceCache + 1);

  // A recreated sequence starts over.
  catalog_->DropSequence("", "s");
  ExpectError([&] { catalog_->DropSequence("", "s"); }, "42P01", "sequence \"s\" does not exist");
  catalog_->CreateSequence(Seq("public", "s", 1, 1, ""));
  EXPECT_EQ(catalog_->NextVal("", "s"), 1);
}

TEST_F(CatalogTest, ConcurrentNextValIsUnique) {
  catalog_->CreateSequence(Seq("public", "s", 1, 1, ""));
  std::vector<std::vector<int64_t>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) got[t].push_back(catalog_->NextVal("", "s"));
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<int64_t> all;
  for (const auto& values : got) all.insert(values.begin(), values.end());
  EXPECT_EQ(all.size(), 400u);
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 400);
}

TEST_F(CatalogTest, SequenceBoundsCycleSetvalAndAlter) {
  SequenceInfo seq = Seq("public", "c", 2, 3, "");
  seq.max_value = 6;
  seq.cycle = true;
  catalog_->CreateSequence(seq);
  std::vector<int64_t> got;
  for (int i = 0; i < 6; ++i) got.push_back(catalog_->NextVal("", "c"));
  EXPECT_EQ(got, (std::vector<int64_t>{3, 5, 1, 3, 5, 1}));

  seq = Seq("public", "m", 1, 1, "");
  seq.max_value = 2;
  catalog_->CreateSequence(seq);
  EXPECT_EQ(catalog_->NextVal("", "m"), 1);
  EXPECT_EQ(catalog_->NextVal("", "m"), 2);
  ExpectError([&] { catalog_->NextVal("", "m"); }, "2200H", "nextval: reached maximum value of sequence \"m\" (2)");

  // setval: the next value is the one after it (is_called) or it.
  catalog_->SetSequenceValue("public", "m", 1, false);
  EXPECT_EQ(catalog_->NextVal("", "m"), 1);
  catalog_->SetSequenceValue("public", "m", 1, true);
  EXPECT_EQ(catalog_->NextVal("", "m"), 2);

  // ALTER goes on from the last value under the new options, and renames.
  SequenceInfo altered = *catalog_->Snapshot()->FindSequence("", "c");
  altered.increment = 1;
  altered.max_value = 100;
  altered.name = "c2";
  catalog_->AlterSequence("public", "c", altered);
  EXPECT_EQ(catalog_->Snapshot()->FindSequence("", "c"), nullptr);
  EXPECT_EQ(catalog_->NextVal("", "c2"), 2);
  EXPECT_EQ(catalog_->NextVal("", "c2"), 3);

  // Near the int64 limits the arithmetic does not overflow.
  seq = Seq("public", "big", INT64_MAX, INT64_MAX - 1, "");
  seq.min_value = INT64_MAX - 2;
  seq.cycle = true;
  catalog_->CreateSequence(seq);
  EXPECT_EQ(catalog_->NextVal("", "big"), INT64_MAX - 1);
  EXPECT_EQ(catalog_->NextVal("", "big"), INT64_MAX - 2);
}

}  // namespace
}  // namespace tessera::catalog
