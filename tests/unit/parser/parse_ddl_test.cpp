// CREATE/DROP TABLE and INDEX, ALTER TABLE, TRUNCATE.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"
#include "tests/unit/parser/parse_one.h"

namespace tessera {
namespace {

using namespace ast;

TEST(ParseCreateTable, ColumnsAndConstraints) {
  auto s = ParseOne<CreateTableStmt>(
      "CREATE TABLE IF NOT EXISTS Accounts ("
      " id int PRIMARY KEY,"
      " name varchar(40) NOT NULL UNIQUE,"
      " balance numeric(12, 2) DEFAULT 0.00 CHECK (balance >= 0),"
      " note text NULL,"
      " created timestamp with time zone DEFAULT now(),"
      " ratio double precision,"
      " code character varying(3) CONSTRAINT c1 NOT NULL,"
      " owner int REFERENCES users (id) ON DELETE CASCADE,"
      " key text, value text, data bytea, date date,"
      " CONSTRAINT pk2 UNIQUE (name, note),"
      " CHECK (id > 0),"
      " FOREIGN KEY (owner) REFERENCES users (id)"
      ") WITH (fillfactor = 90, autovacuum_enabled = false)",
      StmtKind::kCreateTable);
  EXPECT_EQ(s->table.name, "accounts");
  EXPECT_TRUE(s->if_not_exists);
  EXPECT_FALSE(s->temporary);
  ASSERT_EQ(s->columns.size(), 12u);
  EXPECT_TRUE(s->columns[0].primary_key);
  EXPECT_EQ(s->columns[0].type.name, "int");
  EXPECT_EQ(s->columns[1].type.name, "varchar");
  EXPECT_EQ(s->columns[1].type.modifiers, (std::vector<int32_t>{40}));
  EXPECT_TRUE(s->columns[1].not_null);
  EXPECT_TRUE(s->columns[1].unique);
  EXPECT_EQ(s->columns[2].type.modifiers, (std::vector<int32_t>{12, 2}));
  ASSERT_TRUE(s->columns[2].default_value);
  EXPECT_EQ(s->columns[2].default_text, "0.00");
  ASSERT_TRUE(s->columns[2].check);
  EXPECT_TRUE(s->columns[3].null_explicit);
  EXPECT_EQ(s->columns[4].type.name, "timestamp with time zone");
  EXPECT_EQ(s->columns[4].default_text, "now()");
  EXPECT_EQ(s->columns[5].type.name, "double precision");
  EXPECT_EQ(s->columns[6].type.name, "character varying");
  EXPECT_TRUE(s->columns[6].not_null);
  EXPECT_EQ(s->columns[8].name, "key");
  EXPECT_EQ(s->columns[11].name, "date");
  ASSERT_EQ(s->constraints.size(), 3u);
  EXPECT_EQ(s->constraints[0].kind, ConstraintKind::kUnique);
  EXPECT_EQ(s->constraints[0].name, "pk2");
  EXPECT_EQ(s->constraints[0].columns, (std::vector<std::string>{"name", "note"}));
  EXPECT_EQ(s->constraints[1].kind, ConstraintKind::kCheck);
  EXPECT_EQ(s->constraints[2].kind, ConstraintKind::kForeignKey);
  EXPECT_EQ(s->constraints[2].columns, (std::vector<std::string>{"owner"}));
  ASSERT_TRUE(s->constraints[2].references);
  EXPECT_EQ(s->constraints[2].references->table.name, "users");
  EXPECT_EQ(s->constraints[2].references->columns, (std::vector<std::string>{"id"}));
  EXPECT_EQ(s->constraints[2].references->on_delete, 'a');
  ASSERT_TRUE(s->columns[7].references);
  EXPECT_EQ(s->columns[7].references->on_delete, 'c');
  EXPECT_EQ(s->columns[7].references->on_update, 'a');
  ASSERT_EQ(s->with_options.size(), 2u);
  EXPECT_EQ(s->with_options[0], (std::pair<std::string, std::string>{"fillfactor", "90"}));
  EXPECT_EQ(s->with_options[1].second, "false");
}

TEST(ParseCreateTable, ForeignKeyOptions) {
  auto s = ParseOne<CreateTableStmt>(
      "CREATE TABLE c (a int CONSTRAINT fa REFERENCES p MATCH FULL ON UPDATE SET NULL ON DELETE SET DEFAULT "
      "DEFERRABLE INITIALLY DEFERRED, b int REFERENCES p NOT DEFERRABLE INITIALLY IMMEDIATE)",
      StmtKind::kCreateTable);
  ASSERT_TRUE(s->columns[0].references);
  const auto& fk = *s->columns[0].references;
  EXPECT_EQ(s->columns[0].references_name, "fa");
  EXPECT_TRUE(fk.columns.empty());
  EXPECT_EQ(fk.match, 'f');
  EXPECT_EQ(fk.on_update, 'n');
  EXPECT_EQ(fk.on_delete, 'd');
  EXPECT_TRUE(fk.deferrable);
  EXPECT_TRUE(fk.initially_deferred);
  ASSERT_TRUE(s->columns[1].references);
  EXPECT_FALSE(s->columns[1].references->deferrable);
  EXPECT_FALSE(s->columns[1].references->initially_deferred);
}

TEST(ParseCreateTable, TableLevelPrimaryKeyAndTemp) {
  auto s = ParseOne<CreateTableStmt>("create temp table t (a int, b int, primary key (a, b))", StmtKind::kCreateTable);
  EXPECT_TRUE(s->temporary);
  ASSERT_EQ(s->constraints.size(), 1u);
  EXPECT_EQ(s->constraints[0].kind, ConstraintKind::kPrimaryKey);
  EXPECT_EQ(s->constraints[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(ParseOne<CreateTableStmt>("CREATE TEMPORARY TABLE t ()", StmtKind::kCreateTable)->temporary);
}

TEST(ParseCreateTable, OnCommit) {
  auto on_commit = [](const char* sql) { return ParseOne<CreateTableStmt>(sql, StmtKind::kCreateTable)->on_commit; };
  EXPECT_EQ(on_commit("CREATE TEMP TABLE t (a int)"), '\0');
  EXPECT_EQ(on_commit("CREATE TEMP TABLE t (a int) ON COMMIT PRESERVE ROWS"), 'p');
  EXPECT_EQ(on_commit("create temp table t (a int) on commit delete rows"), 'd');
  EXPECT_EQ(on_commit("CREATE TEMP TABLE t (a int) WITH (fillfactor = 90) ON COMMIT DROP"), 'D');
  // PRESERVE is an identifier to the grammar: another word is a syntax error.
  try {
    ParseSql("CREATE TEMP TABLE t (a int) ON COMMIT KEEP ROWS");
    ADD_FAILURE() << "ON COMMIT KEEP ROWS parsed";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "42601");
  }
}

TEST(ParseCreateTable, DefaultTextKeepsSourceSpelling) {
  auto s = ParseOne<CreateTableStmt>("CREATE TABLE t (a text DEFAULT 'x' || 'y' NOT NULL, b int default -1)",
                                     StmtKind::kCreateTable);
  EXPECT_EQ(s->columns[0].default_text, "'x' || 'y'");
  EXPECT_TRUE(s->columns[0].not_null);
  EXPECT_EQ(s->columns[1].default_text, "-1");
  EXPECT_EQ(s->columns[1].default_value->text, "-1");
}

TEST(ParseDropTable, Forms) {
  auto s = ParseOne<DropTableStmt>("DROP TABLE IF EXISTS a, s.b CASCADE", StmtKind::kDropTable);
  EXPECT_TRUE(s->if_exists);
  EXPECT_TRUE(s->cascade);
  ASSERT_EQ(s->tables.size(), 2u);
  EXPECT_EQ(s->tables[1].schema, "s");
  s = ParseOne<DropTableStmt>("DROP TABLE a RESTRICT", StmtKind::kDropTable);
  EXPECT_FALSE(s->if_exists);
  EXPECT_FALSE(s->cascade);
}

TEST(ParseCreateIndex, Forms) {
  auto s = ParseOne<CreateIndexStmt>("CREATE UNIQUE INDEX IF NOT EXISTS idx ON t USING btree (a DESC, b ASC)",
                                     StmtKind::kCreateIndex);
  EXPECT_TRUE(s->unique);
  EXPECT_TRUE(s->if_not_exists);
  EXPECT_EQ(s->name, "idx");
  EXPECT_EQ(s->method, "btree");
  EXPECT_EQ(s->table.name, "t");
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_TRUE(s->columns[0].descending);
  EXPECT_FALSE(s->columns[1].descending);
  s = ParseOne<CreateIndexStmt>("CREATE INDEX ON t (a)", StmtKind::kCreateIndex);
  EXPECT_EQ(s->name, "");
  EXPECT_EQ(s->method, "");
}

TEST(ParseDropIndex, Forms) {
  auto s = ParseOne<DropIndexStmt>("DROP INDEX IF EXISTS i1, i2", StmtKind::kDropIndex);
  EXPECT_TRUE(s->if_exists);
  EXPECT_EQ(s->indexes.size(), 2u);
}

TEST(ParseAlterTable, Actions) {
  auto s = ParseOne<AlterTableStmt>("ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY (a)", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAddConstraint);
  ASSERT_TRUE(s->constraint);
  EXPECT_EQ(s->constraint->name, "pk");
  EXPECT_EQ(s->constraint->kind, ConstraintKind::kPrimaryKey);
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ADD UNIQUE (a, b)", StmtKind::kAlterTable);
  EXPECT_EQ(s->constraint->kind, ConstraintKind::kUnique);
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 5", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAddColumn);
  EXPECT_EQ(s->column->name, "c");
  EXPECT_TRUE(s->column->not_null);
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ADD d text", StmtKind::kAlterTable);
  EXPECT_EQ(s->column->name, "d");
  s = ParseOne<AlterTableStmt>("ALTER TABLE IF EXISTS t DROP COLUMN c", StmtKind::kAlterTable);
  EXPECT_TRUE(s->if_exists);
  EXPECT_EQ(s->action, AlterTableAction::kDropColumn);
  EXPECT_EQ(s->old_name, "c");
  s = ParseOne<AlterTableStmt>("ALTER TABLE t RENAME TO u", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kRenameTable);
  EXPECT_EQ(s->new_name, "u");
  s = ParseOne<AlterTableStmt>("ALTER TABLE t RENAME COLUMN a TO b", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kRenameColumn);
  EXPECT_EQ(s->old_name, "a");
  EXPECT_EQ(s->new_name, "b");
  s = ParseOne<AlterTableStmt>("ALTER TABLE t RENAME a TO b", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kRenameColumn);
}

TEST(ParseAlterTable, AlterColumn) {
  auto s = ParseOne<AlterTableStmt>("ALTER TABLE t ALTER COLUMN \"Name\" TYPE varchar(300)", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAlterColumnType);
  EXPECT_EQ(s->old_name, "Name");
  EXPECT_EQ(s->column->type.name, "varchar");
  EXPECT_TRUE(s->using_text.empty());
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ALTER c SET DATA TYPE integer USING c::integer + 1",
                               StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAlterColumnType);
  EXPECT_EQ(s->using_text, "c::integer + 1");
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x' || 'y'", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAlterColumnDefault);
  EXPECT_EQ(s->column->default_text, "'x' || 'y'");
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ALTER COLUMN c DROP DEFAULT", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAlterColumnDefault);
  EXPECT_TRUE(s->column->default_text.empty());
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ALTER COLUMN c SET NOT NULL", StmtKind::kAlterTable);
  EXPECT_EQ(s->action, AlterTableAction::kAlterColumnNotNull);
  EXPECT_TRUE(s->column->not_null);
  s = ParseOne<AlterTableStmt>("ALTER TABLE t ALTER c DROP NOT NULL", StmtKind::kAlterTable);
  EXPECT_FALSE(s->column->not_null);
  // TYPE and DATA are words the grammar takes as identifiers: others are a syntax error.
  for (const char* sql : {"ALTER TABLE t ALTER COLUMN c KIND integer", "ALTER TABLE t ALTER COLUMN c SET DAT TYPE int"}) {
    try {
      ParseSql(sql);
      ADD_FAILURE() << sql << " parsed";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.Sqlstate(), "42601") << sql;
    }
  }
}

TEST(ParseTruncate, Forms) {
  auto s = ParseOne<TruncateStmt>("TRUNCATE TABLE a, b", StmtKind::kTruncate);
  EXPECT_EQ(s->tables.size(), 2u);
  s = ParseOne<TruncateStmt>("truncate a", StmtKind::kTruncate);
  EXPECT_EQ(s->tables[0].name, "a");
}

}  // namespace
}  // namespace tessera

namespace tessera {
namespace {

using namespace ast;

TEST(ParseView, CreateOrReplaceWithColumnsKeepsTheQueryText) {
  auto stmts = ParseSql("select 1; CREATE OR REPLACE VIEW Sales.V (a, b) AS SELECT x, y FROM t WHERE x > 1");
  ASSERT_EQ(stmts.size(), 2u);
  ASSERT_EQ(stmts[1]->kind, StmtKind::kCreateView);
  auto& s = stmts[1]->As<CreateViewStmt>();
  EXPECT_TRUE(s.or_replace);
  EXPECT_EQ(s.view.schema, "sales");
  EXPECT_EQ(s.view.name, "v");
  EXPECT_EQ(s.column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.query_text, "SELECT x, y FROM t WHERE x > 1");
  EXPECT_EQ(s.query_start, 51);
  ASSERT_NE(s.query, nullptr);
  EXPECT_EQ(s.query->targets.size(), 2u);
  EXPECT_FALSE(s.temporary || s.recursive || s.materialized || s.check_option);
}

TEST(ParseView, FormsThatAreRefusedLaterStillParse) {
  EXPECT_TRUE(ParseOne<CreateViewStmt>("CREATE TEMP VIEW v AS SELECT 1", StmtKind::kCreateView)->temporary);
  EXPECT_TRUE(
      ParseOne<CreateViewStmt>("CREATE MATERIALIZED VIEW v AS SELECT 1", StmtKind::kCreateView)->materialized);
  EXPECT_TRUE(ParseOne<CreateViewStmt>("CREATE RECURSIVE VIEW v (n) AS VALUES (1)", StmtKind::kCreateView)->recursive);
  EXPECT_TRUE(ParseOne<CreateViewStmt>("CREATE VIEW v AS SELECT a FROM t WITH LOCAL CHECK OPTION",
                                       StmtKind::kCreateView)
                  ->check_option);
  auto drop = ParseOne<DropViewStmt>("DROP VIEW IF EXISTS a, s.b CASCADE", StmtKind::kDropView);
  EXPECT_TRUE(drop->if_exists);
  EXPECT_TRUE(drop->cascade);
  ASSERT_EQ(drop->views.size(), 2u);
  EXPECT_EQ(drop->views[1].schema, "s");
  // view, replace and option stay usable as names
  auto t = ParseOne<CreateTableStmt>("CREATE TABLE view (replace int, option text, cascaded int)",
                                     StmtKind::kCreateTable);
  EXPECT_EQ(t->table.name, "view");
  EXPECT_EQ(t->columns[0].name, "replace");
  EXPECT_NO_THROW(ParseSql("SELECT replace('abc', 'b', 'x')"));
}

}  // namespace
}  // namespace tessera
