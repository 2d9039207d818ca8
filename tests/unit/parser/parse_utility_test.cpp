// Transactions, SET/SHOW/RESET, EXPLAIN, VACUUM/ANALYZE, COPY.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"
#include "tests/unit/parser/parse_one.h"

namespace tessera {
namespace {

using namespace ast;

std::unique_ptr<TransactionStmt> Txn(std::string_view sql) {
  return ParseOne<TransactionStmt>(sql, StmtKind::kTransaction);
}

TEST(ParseTransaction, BeginForms) {
  EXPECT_EQ(Txn("BEGIN")->txn_kind, TransactionKind::kBegin);
  EXPECT_EQ(Txn("begin work")->txn_kind, TransactionKind::kBegin);
  auto s = Txn("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
  EXPECT_EQ(s->isolation, "repeatable read");
  EXPECT_EQ(s->read_only, std::optional<bool>(true));
  s = Txn("START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE");
  EXPECT_EQ(s->txn_kind, TransactionKind::kBegin);
  EXPECT_EQ(s->isolation, "serializable");
  EXPECT_EQ(s->read_only, std::optional<bool>(false));
  s = Txn("BEGIN ISOLATION LEVEL READ COMMITTED");
  EXPECT_EQ(s->isolation, "read committed");
  EXPECT_FALSE(s->read_only.has_value());
  EXPECT_EQ(Txn("BEGIN ISOLATION LEVEL READ UNCOMMITTED")->isolation, "read uncommitted");
}

TEST(ParseTransaction, CommitRollbackSetTransaction) {
  EXPECT_EQ(Txn("COMMIT")->txn_kind, TransactionKind::kCommit);
  EXPECT_EQ(Txn("END TRANSACTION")->txn_kind, TransactionKind::kCommit);
  EXPECT_EQ(Txn("commit work")->txn_kind, TransactionKind::kCommit);
  EXPECT_EQ(Txn("ROLLBACK")->txn_kind, TransactionKind::kRollback);
  EXPECT_EQ(Txn("ABORT")->txn_kind, TransactionKind::kRollback);
  auto s = Txn("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(s->txn_kind, TransactionKind::kSetTransaction);
  EXPECT_EQ(s->isolation, "serializable");
}

TEST(ParseTransaction, Savepoints) {
  auto s = Txn("SAVEPOINT Sp1");
  EXPECT_EQ(s->txn_kind, TransactionKind::kSavepoint);
  EXPECT_EQ(s->savepoint, "sp1");
  s = Txn("RELEASE SAVEPOINT \"Sp1\"");
  EXPECT_EQ(s->txn_kind, TransactionKind::kRelease);
  EXPECT_EQ(s->savepoint, "Sp1");
  EXPECT_EQ(Txn("release a")->savepoint, "a");
  for (const char* sql : {"ROLLBACK TO a", "ROLLBACK TO SAVEPOINT a", "rollback work to a",
                          "ROLLBACK TRANSACTION TO SAVEPOINT a"}) {
    s = Txn(sql);
    EXPECT_EQ(s->txn_kind, TransactionKind::kRollbackTo) << sql;
    EXPECT_EQ(s->savepoint, "a") << sql;
  }
  // Unreserved keywords: still usable as names.
  EXPECT_EQ(Txn("SAVEPOINT savepoint")->savepoint, "savepoint");
  EXPECT_EQ(Txn("ROLLBACK")->txn_kind, TransactionKind::kRollback);
}

TEST(ParseSet, Forms) {
  auto s = ParseOne<SetStmt>("SET search_path TO \"$user\", public", StmtKind::kSet);
  EXPECT_EQ(s->name, "search_path");
  EXPECT_EQ(s->values, (std::vector<std::string>{"$user", "public"}));
  s = ParseOne<SetStmt>("SET LOCAL statement_timeout = 1000", StmtKind::kSet);
  EXPECT_TRUE(s->local);
  EXPECT_EQ(s->values, (std::vector<std::string>{"1000"}));
  s = ParseOne<SetStmt>("SET SESSION DateStyle = 'ISO, MDY'", StmtKind::kSet);
  EXPECT_EQ(s->name, "datestyle");
  EXPECT_FALSE(s->local);
  EXPECT_EQ(s->values, (std::vector<std::string>{"ISO, MDY"}));
  s = ParseOne<SetStmt>("SET client_min_messages TO DEFAULT", StmtKind::kSet);
  EXPECT_TRUE(s->to_default);
  s = ParseOne<SetStmt>("SET enable_seqscan = off", StmtKind::kSet);
  EXPECT_EQ(s->values, (std::vector<std::string>{"off"}));
  s = ParseOne<SetStmt>("SET extra_float_digits = -3", StmtKind::kSet);
  EXPECT_EQ(s->values, (std::vector<std::string>{"-3"}));
  s = ParseOne<SetStmt>("SET TIME ZONE 'UTC'", StmtKind::kSet);
  EXPECT_EQ(s->name, "timezone");
  EXPECT_EQ(s->values, (std::vector<std::string>{"UTC"}));
  s = ParseOne<SetStmt>("SET TIME ZONE LOCAL", StmtKind::kSet);
  EXPECT_TRUE(s->to_default);
  EXPECT_FALSE(s->local);
  s = ParseOne<SetStmt>("SET application_name = on", StmtKind::kSet);
  EXPECT_EQ(s->values, (std::vector<std::string>{"on"}));
}

TEST(ParseSet, SessionCharacteristics) {
  auto s = ParseOne<SetStmt>("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ", StmtKind::kSet);
  EXPECT_EQ(s->name, "default_transaction_isolation");
  EXPECT_EQ(s->values, (std::vector<std::string>{"repeatable read"}));
  s = ParseOne<SetStmt>("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", StmtKind::kSet);
  EXPECT_EQ(s->name, "default_transaction_read_only");
  EXPECT_EQ(s->values, (std::vector<std::string>{"on"}));
}

TEST(ParseShowReset, Forms) {
  EXPECT_EQ(ParseOne<ShowStmt>("SHOW server_version", StmtKind::kShow)->name, "server_version");
  EXPECT_EQ(ParseOne<ShowStmt>("SHOW ALL", StmtKind::kShow)->name, "all");
  EXPECT_EQ(ParseOne<ShowStmt>("SHOW TRANSACTION ISOLATION LEVEL", StmtKind::kShow)->name, "transaction_isolation");
  EXPECT_EQ(ParseOne<ShowStmt>("SHOW TIME ZONE", StmtKind::kShow)->name, "timezone");
  EXPECT_EQ(ParseOne<ShowStmt>("SHOW DateStyle", StmtKind::kShow)->name, "datestyle");
  EXPECT_EQ(ParseOne<ResetStmt>("RESET ALL", StmtKind::kReset)->name, "all");
  EXPECT_EQ(ParseOne<ResetStmt>("RESET search_path", StmtKind::kReset)->name, "search_path");
}

TEST(ParseExplain, Forms) {
  auto s = ParseOne<ExplainStmt>("EXPLAIN SELECT 1", StmtKind::kExplain);
  EXPECT_FALSE(s->analyze);
  ASSERT_TRUE(s->statement);
  EXPECT_EQ(s->statement->kind, StmtKind::kSelect);
  s = ParseOne<ExplainStmt>("EXPLAIN ANALYZE VERBOSE UPDATE t SET a = 1", StmtKind::kExplain);
  EXPECT_TRUE(s->analyze);
  EXPECT_TRUE(s->verbose);
  EXPECT_EQ(s->statement->kind, StmtKind::kUpdate);
  s = ParseOne<ExplainStmt>("EXPLAIN (ANALYZE, VERBOSE false, COSTS off, FORMAT text) SELECT * FROM t",
                            StmtKind::kExplain);
  EXPECT_TRUE(s->analyze);
  EXPECT_FALSE(s->verbose);
  s = ParseOne<ExplainStmt>("EXPLAIN (ANALYZE off) DELETE FROM t", StmtKind::kExplain);
  EXPECT_FALSE(s->analyze);
  EXPECT_EQ(s->statement->start, 22);
}

TEST(ParseVacuum, Forms) {
  auto s = ParseOne<VacuumStmt>("VACUUM", StmtKind::kVacuum);
  EXPECT_FALSE(s->analyze);
  EXPECT_TRUE(s->tables.empty());
  s = ParseOne<VacuumStmt>("VACUUM FULL ANALYZE a, b", StmtKind::kVacuum);
  EXPECT_TRUE(s->analyze);
  EXPECT_EQ(s->tables.size(), 2u);
  s = ParseOne<VacuumStmt>("ANALYZE t", StmtKind::kVacuum);
  EXPECT_TRUE(s->analyze);
  EXPECT_EQ(s->tables[0].name, "t");
  EXPECT_TRUE(ParseOne<VacuumStmt>("ANALYZE", StmtKind::kVacuum)->tables.empty());
}

TEST(ParseCopy, NewSyntax) {
  auto s = ParseOne<CopyStmt>("COPY t (a, b) FROM STDIN WITH (FORMAT csv, DELIMITER ';', NULL '', HEADER)",
                              StmtKind::kCopy);
  EXPECT_EQ(s->table.name, "t");
  EXPECT_EQ(s->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(s->from);
  EXPECT_TRUE(s->stdio);
  EXPECT_EQ(s->format, "csv");
  EXPECT_EQ(s->delimiter, ";");
  EXPECT_TRUE(s->null_set);
  EXPECT_EQ(s->null_string, "");
  EXPECT_TRUE(s->header);
  EXPECT_EQ(s->options.size(), 4u);
  s = ParseOne<CopyStmt>("COPY t TO STDOUT (HEADER false)", StmtKind::kCopy);
  EXPECT_FALSE(s->from);
  EXPECT_FALSE(s->header);
  EXPECT_EQ(s->format, "text");
}

TEST(ParseCopy, OldSyntaxAndFile) {
  auto s = ParseOne<CopyStmt>("COPY t FROM STDIN WITH CSV HEADER DELIMITER ','", StmtKind::kCopy);
  EXPECT_EQ(s->format, "csv");
  EXPECT_TRUE(s->header);
  EXPECT_EQ(s->delimiter, ",");
  s = ParseOne<CopyStmt>("COPY t TO STDOUT WITH NULL AS 'N' DELIMITER AS '|'", StmtKind::kCopy);
  EXPECT_EQ(s->null_string, "N");
  EXPECT_EQ(s->delimiter, "|");
  s = ParseOne<CopyStmt>("COPY t FROM '/tmp/x.csv'", StmtKind::kCopy);
  EXPECT_FALSE(s->stdio);
  EXPECT_EQ(s->file, "/tmp/x.csv");
  s = ParseOne<CopyStmt>("COPY pgbench_accounts FROM STDIN", StmtKind::kCopy);
  EXPECT_EQ(s->table.name, "pgbench_accounts");
}

TEST(ParseCopy, QueryTo) {
  auto s = ParseOne<CopyStmt>("COPY (SELECT a, b FROM t WHERE a > 1 ORDER BY a) TO STDOUT WITH (FORMAT csv)",
                              StmtKind::kCopy);
  EXPECT_EQ(s->query, "SELECT a, b FROM t WHERE a > 1 ORDER BY a");
  EXPECT_TRUE(s->table.name.empty());
  EXPECT_FALSE(s->from);
  EXPECT_TRUE(s->stdio);
  EXPECT_EQ(s->format, "csv");
  s = ParseOne<CopyStmt>("COPY (WITH w AS (SELECT 1 AS x) SELECT x FROM w) TO STDOUT", StmtKind::kCopy);
  EXPECT_EQ(s->query, "WITH w AS (SELECT 1 AS x) SELECT x FROM w");
  // Only TO, as in PostgreSQL's grammar.
  EXPECT_THROW(ParseSql("COPY (SELECT 1) FROM STDIN"), SqlError);
  try {
    ParseSql("COPY (DELETE FROM t RETURNING a) TO STDOUT");
    ADD_FAILURE() << "COPY (DELETE ...) accepted";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "0A000");
  }
}

}  // namespace
}  // namespace tessera
