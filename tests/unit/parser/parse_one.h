// ParseOne: the parser tests' way to parse one statement and check its kind.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "parser/parser.h"

namespace tessera {

// Parses `sql`, expects exactly one statement of `kind` and returns it as T.
template <class T>
std::unique_ptr<T> ParseOne(std::string_view sql, ast::StmtKind kind) {
  auto stmts = ParseSql(sql);
  EXPECT_EQ(stmts.size(), 1u);
  EXPECT_EQ(stmts[0]->kind, kind);
  return std::unique_ptr<T>(static_cast<T*>(stmts[0].release()));
}

}  // namespace tessera
