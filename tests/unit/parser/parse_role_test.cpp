// CREATE ROLE / USER / GROUP, ALTER ROLE, DROP ROLE.
#include <gtest/gtest.h>

#include "common/error.h"
#include "parser/parser.h"
#include "tests/unit/parser/parse_one.h"

namespace tessera {
namespace {

using namespace ast;

std::string Options(const std::vector<RoleOption>& options) {
  std::string out;
  for (const RoleOption& o : options)
    out += (out.empty() ? "" : " ") + o.name + (o.is_null ? "=NULL" : o.value.empty() ? "" : "=" + o.value);
  return out;
}

TEST(ParseRole, Create) {
  auto s = ParseOne<CreateRoleStmt>("CREATE ROLE Alice WITH LOGIN PASSWORD 'x' NOSUPERUSER CreateDB", StmtKind::kCreateRole);
  EXPECT_EQ(s->kind, "ROLE");
  EXPECT_EQ(s->name, "alice");
  EXPECT_EQ(Options(s->options), "login password=x nosuperuser createdb");
  s = ParseOne<CreateRoleStmt>("CREATE USER \"Bob\" ENCRYPTED PASSWORD NULL", StmtKind::kCreateRole);
  EXPECT_EQ(s->kind, "USER");
  EXPECT_EQ(s->name, "Bob");
  EXPECT_EQ(Options(s->options), "password=NULL");
  s = ParseOne<CreateRoleStmt>("CREATE GROUP g", StmtKind::kCreateRole);
  EXPECT_EQ(s->kind, "GROUP");
  EXPECT_TRUE(s->options.empty());
  s = ParseOne<CreateRoleStmt>(
      "CREATE ROLE r VALID UNTIL '2030-01-01' CONNECTION LIMIT -1 IN ROLE a, b ROLE c ADMIN d SYSID 5 CREATEUSER",
      StmtKind::kCreateRole);
  EXPECT_EQ(Options(s->options),
            "validUntil=2030-01-01 connectionlimit=-1 addroleto=a,b rolemembers=c adminmembers=d sysid=5 superuser");
  // Keywords that are role option words stay usable as names.
  EXPECT_EQ(ParseOne<CreateRoleStmt>("CREATE ROLE role", StmtKind::kCreateRole)->name, "role");
  EXPECT_EQ(ParseOne<CreateRoleStmt>("CREATE ROLE password", StmtKind::kCreateRole)->name, "password");
}

TEST(ParseRole, Errors) {
  try {
    ParseSql("CREATE ROLE r FLY");
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "42601");
    EXPECT_EQ(e.Message(), "unrecognized role option \"fly\"");
    EXPECT_EQ(e.Position(), 15);
  }
  try {
    ParseSql("CREATE ROLE r UNENCRYPTED PASSWORD 'x'");
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "0A000");
  }
  EXPECT_THROW(ParseSql("CREATE ROLE"), SqlError);
  EXPECT_THROW(ParseSql("ALTER ROLE r"), SqlError);
}

TEST(ParseRole, AlterAndDrop) {
  auto a = ParseOne<AlterRoleStmt>("ALTER ROLE r WITH PASSWORD 'p' NOLOGIN", StmtKind::kAlterRole);
  EXPECT_EQ(a->name, "r");
  EXPECT_TRUE(a->new_name.empty());
  EXPECT_EQ(Options(a->options), "password=p nologin");
  a = ParseOne<AlterRoleStmt>("ALTER USER r RENAME TO s", StmtKind::kAlterRole);
  EXPECT_EQ(a->new_name, "s");
  auto d = ParseOne<DropRoleStmt>("DROP ROLE IF EXISTS a, \"B\"", StmtKind::kDropRole);
  EXPECT_TRUE(d->if_exists);
  EXPECT_EQ(d->names, (std::vector<std::string>{"a", "B"}));
  EXPECT_FALSE(ParseOne<DropRoleStmt>("DROP USER a", StmtKind::kDropRole)->if_exists);
}

}  // namespace
}  // namespace tessera
