// A ResultSink that drops everything: for statements a session runs for
// their effect alone (EXPLAIN ANALYZE's run, the DROP of temp tables at
// session end).
#pragma once

#include <string>
#include <vector>

#include "executor/session.h"

namespace tessera::executor {

class DiscardSink final : public ResultSink {
 public:
  void Columns(const std::vector<ColumnDesc>&) override {}
  void Row(const tessera::Row&) override {}
  void Complete(const std::string&) override {}
  void EmptyQuery() override {}
  void Notice(const std::string&, const std::string&, const std::string&) override {}
};

}  // namespace tessera::executor
