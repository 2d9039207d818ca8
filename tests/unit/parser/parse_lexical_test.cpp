// Lexical rules: case folding, quoting, escapes, dollar quotes, comments,
// parameters, multiple statements, and the positions of syntax errors.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"

namespace tessera {
namespace {

using namespace ast;

std::string StringValue(std::string_view sql) {
  auto e = ParseExpression(sql);
  EXPECT_EQ(e->kind, ExprKind::kConstant);
  EXPECT_EQ(e->constant_kind, ConstantKind::kString);
  return e->text;
}

TEST(Lexical, IdentifierCaseFolding) {
  auto stmts = ParseSql("SELECT FooBar, \"FooBar\", \"with \"\"quote\"\"\", U&\"d\\0061t\\+000061\" FROM MyTable");
  auto& s = stmts[0]->As<SelectStmt>();
  EXPECT_EQ(s.targets[0].expr->names[0], "foobar");
  EXPECT_EQ(s.targets[1].expr->names[0], "FooBar");
  EXPECT_EQ(s.targets[2].expr->names[0], "with \"quote\"");
  EXPECT_EQ(s.targets[3].expr->names[0], "data");
  EXPECT_EQ(s.from[0]->table.name, "mytable");
}

TEST(Lexical, KeywordsAreCaseInsensitive) {
  auto stmts = ParseSql("sElEcT a FrOm t wHeRe a Is NoT nUlL");
  EXPECT_EQ(ExprToString(*stmts[0]->As<SelectStmt>().where), "(a IS NOT NULL)");
}

TEST(Lexical, LongIdentifiersAreTruncatedTo63Bytes) {
  std::string name(70, 'a');
  auto e = ParseExpression(name);
  EXPECT_EQ(e->names[0].size(), 63u);
}

TEST(Lexical, StringForms) {
  EXPECT_EQ(StringValue("'it''s'"), "it's");
  EXPECT_EQ(StringValue("''"), "");
  EXPECT_EQ(StringValue("E'a\\nb\\tc\\\\d\\'e'"), "a\nb\tc\\d'e");
  EXPECT_EQ(StringValue("E'\\x41\\101\\u0042'"), "AAB");
  EXPECT_EQ(StringValue("e'x''y'"), "x'y");
  EXPECT_EQ(StringValue("U&'d\\0061t\\+000061'"), "data");
  EXPECT_EQ(StringValue("$$it's $ a \"test\"$$"), "it's $ a \"test\"");
  EXPECT_EQ(StringValue("$fn$ body $$ inner $$ $fn$"), " body $$ inner $$ ");
  EXPECT_EQ(StringValue("$a$$a$"), "");
  EXPECT_EQ(StringValue("'héllo'"), "héllo");
}

TEST(Lexical, Comments) {
  auto stmts = ParseSql("SELECT 1 -- trailing comment\n + /* block /* nested */ still */ 2");
  ASSERT_EQ(stmts.size(), 1u);
  EXPECT_EQ(ExprToString(*stmts[0]->As<SelectStmt>().targets[0].expr), "(1 + 2)");
}

TEST(Lexical, Parameters) {
  auto stmts = ParseSql("SELECT $1 + $2, $10");
  auto& t = stmts[0]->As<SelectStmt>().targets;
  EXPECT_EQ(t[0].expr->args[1]->param_number, 2);
  EXPECT_EQ(t[1].expr->param_number, 10);
}

TEST(Lexical, MultipleStatementsWithRanges) {
  std::string sql = "BEGIN; SELECT 1;  UPDATE t SET a = 1 ;COMMIT";
  auto stmts = ParseSql(sql);
  ASSERT_EQ(stmts.size(), 4u);
  EXPECT_EQ(stmts[0]->kind, StmtKind::kTransaction);
  EXPECT_EQ(stmts[1]->kind, StmtKind::kSelect);
  EXPECT_EQ(stmts[2]->kind, StmtKind::kUpdate);
  EXPECT_EQ(stmts[3]->kind, StmtKind::kTransaction);
  EXPECT_EQ(sql.substr(stmts[1]->start, stmts[1]->end - stmts[1]->start), "SELECT 1");
  EXPECT_EQ(sql.substr(stmts[2]->start, stmts[2]->end - stmts[2]->start), "UPDATE t SET a = 1");
  EXPECT_EQ(sql.substr(stmts[3]->start, stmts[3]->end - stmts[3]->start), "COMMIT");
}

TEST(Lexical, EmptyInputs) {
  for (std::string_view sql : {"", "   ", ";", " ; ; ", "-- only a comment", "/* c */"}) {
    auto stmts = ParseSql(sql);
    ASSERT_EQ(stmts.size(), 1u) << sql;
    EXPECT_EQ(stmts[0]->kind, StmtKind::kEmpty) << sql;
  }
  EXPECT_EQ(ParseSql("SELECT 1;;").size(), 1u);
}

// Message and 1-based position of the error a statement raises.
std::pair<std::string, int> ErrorOf(std::string_view sql) {
  try {
    ParseSql(sql);
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "42601") << sql;
    return {e.Message(), e.Position()};
  }
  ADD_FAILURE() << "no error for " << sql;
  return {};
}

TEST(SyntaxErrors, MessagesAndPositionsMatchPostgres) {
  using P = std::pair<std::string, int>;
  EXPECT_EQ(ErrorOf("select 1 from from"), (P{"syntax error at or near \"from\"", 15}));
  EXPECT_EQ(ErrorOf("select 1 +"), (P{"syntax error at end of input", 11}));
  EXPECT_EQ(ErrorOf("select 1 +   "), (P{"syntax error at end of input", 14}));
  EXPECT_EQ(ErrorOf("select 1 = 2 = 3"), (P{"syntax error at or near \"=\"", 14}));
  EXPECT_EQ(ErrorOf("SELEC 1"), (P{"syntax error at or near \"SELEC\"", 1}));
  EXPECT_EQ(ErrorOf("select 1 \\ 2"), (P{"syntax error at or near \"\\\"", 10}));
  EXPECT_EQ(ErrorOf("select 'é' + + from"), (P{"syntax error at or near \"from\"", 16}));
  EXPECT_EQ(ErrorOf("INSERT INTO t VALUES (1,)"), (P{"syntax error at or near \")\"", 25}));
  EXPECT_EQ(ErrorOf("SELECT 1; SELECT FROM WHERE"), (P{"syntax error at or near \"WHERE\"", 23}));
}

TEST(SyntaxErrors, LexicalErrors) {
  using P = std::pair<std::string, int>;
  EXPECT_EQ(ErrorOf("select 'abc"), (P{"unterminated quoted string at or near \"'abc\"", 8}));
  EXPECT_EQ(ErrorOf("select \"abc"), (P{"unterminated quoted identifier at or near \"\"abc\"", 8}));
  EXPECT_EQ(ErrorOf("select /* abc"), (P{"unterminated /* comment at or near \"/* abc\"", 8}));
  EXPECT_EQ(ErrorOf("select $$abc"), (P{"unterminated dollar-quoted string at or near \"$$abc\"", 8}));
  EXPECT_EQ(ErrorOf("select $a$abc$$"), (P{"unterminated dollar-quoted string at or near \"$a$abc$$\"", 8}));
  EXPECT_EQ(ErrorOf("select \"\""), (P{"zero-length delimited identifier at or near \"\"\"\"", 8}));
}

TEST(SyntaxErrors, ParseExpressionRejectsTrailingInput) {
  EXPECT_THROW(ParseExpression("1 + 2 )"), SqlError);
  EXPECT_THROW(ParseExpression(""), SqlError);
}

}  // namespace
}  // namespace tessera

namespace tessera {
namespace {

TEST(Limits, DeepNestingIsRefusedNotACrash) {
  std::string sql = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')');
  try {
    ParseSql(sql);
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "54001");
  }
  std::string ok = "SELECT " + std::string(50, '(') + "1" + std::string(50, ')');
  EXPECT_EQ(ParseSql(ok).size(), 1u);
}

// The fuzz test's 180 MB statement: 30,000 terms each in 3,000 parentheses.
// It must be refused at the 501st parenthesis, before the rest is lexed:
// lexing it whole first took the server past its memory (OOM-killed).
TEST(Limits, DeepNestingIsRefusedBeforeTheRestIsLexed) {
  std::string term = std::string(3000, '(') + "x" + std::string(3000, ')');
  std::string sql = "SELECT " + term;
  for (int i = 0; i < 2000; ++i) sql += " + " + term;
  MemoryPool pool;
  MemoryAccount memory("MessageContext", 0, "limit", &pool);
  try {
    ParseSql(sql, &memory);
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "54001");
    EXPECT_EQ(e.Position(), 8 + 500);  // the 501st parenthesis
  }
  EXPECT_LE(memory.Peak(), MemoryAccount::kChunk);  // ~500 tokens charged, not 12 million
}

// A statement's tokens are charged to its account: one too big for the
// limit ends in 53200 (out of memory), and what was charged is given back.
TEST(Limits, HugeStatementIsOutOfMemoryNotTheServer) {
  std::string sql = "SELECT 1";
  for (int i = 0; i < 100000; ++i) sql += " OR x = 1";  // 400,001 tokens
  MemoryPool pool;
  {
    MemoryAccount memory("MessageContext", 64 << 20, "limit", &pool);
    try {
      ParseSql(sql, &memory);
      FAIL() << "expected an error";
    } catch (const SqlError& e) {
      EXPECT_EQ(e.Sqlstate(), "53200");
      EXPECT_NE(e.Detail().find("MessageContext"), std::string::npos) << e.Detail();
    }
  }
  EXPECT_EQ(pool.Used(), 0);
  MemoryAccount roomy("MessageContext", 1 << 30, "limit", &pool);
  EXPECT_EQ(ParseSql(sql, &roomy).size(), 1u);
}

}  // namespace
}  // namespace tessera

namespace tessera {
namespace {

TEST(Utf8, NonAsciiTextAndPositions) {
  std::string sql = "SELECT 'héllo wörld' AS \"Ünïcode\", naïve FROM tâble WHERE x = 'ß' + ";
  try {
    ParseSql(sql);
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Message(), "syntax error at end of input");
    EXPECT_EQ(e.Position(), 69);  // characters, not bytes
  }
  auto stmts = ParseSql("SELECT 'héllo' AS \"Ünï\", naïve FROM tâble");
  auto& s = stmts[0]->As<ast::SelectStmt>();
  EXPECT_EQ(s.targets[0].expr->text, "héllo");
  EXPECT_EQ(s.targets[0].alias, "Ünï");
  EXPECT_EQ(s.targets[1].expr->names[0], "naïve");
  EXPECT_EQ(s.targets[1].expr->location, 25);
  EXPECT_EQ(s.from[0]->table.name, "tâble");
  // Characters beyond the BMP, in names and strings.
  auto emoji = ParseSql("SELECT '\U0001F600' AS x\U0001F600");
  EXPECT_EQ(emoji[0]->As<ast::SelectStmt>().targets[0].expr->text, "\U0001F600");
  EXPECT_EQ(emoji[0]->As<ast::SelectStmt>().targets[0].alias, "x\U0001F600");
  auto create = ParseSql("CREATE TABLE t (a text DEFAULT 'é' || 'x')");
  EXPECT_EQ(create[0]->As<ast::CreateTableStmt>().columns[0].default_text, "'é' || 'x'");
}

TEST(Utf8, InvalidBytesAreRejected) {
  try {
    ParseSql(std::string("SELECT '\xff'"));
    FAIL() << "expected an error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "22021");
    EXPECT_EQ(e.Message(), "invalid byte sequence for encoding \"UTF8\": 0xff");
  }
  EXPECT_THROW(ParseSql(std::string("SELECT '\xc3'")), SqlError);  // truncated sequence
}

}  // namespace
}  // namespace tessera
