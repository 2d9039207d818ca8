// Shared helpers for common/ unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "common/error.h"

// Asserts that `stmt` throws SqlError with the given SQLSTATE (and message, if non-empty).
#define EXPECT_SQL_ERROR(stmt, state, msg)                     \
  do {                                                         \
    try {                                                      \
      stmt;                                                    \
      ADD_FAILURE() << "expected SqlError " << (state);        \
    } catch (const ::tessera::SqlError& e) {                   \
      EXPECT_EQ(e.Sqlstate(), std::string(state)) << e.what(); \
      if (std::string(msg).size()) {                           \
        EXPECT_EQ(e.Message(), msg);                           \
      }                                                        \
    }                                                          \
  } while (0)
