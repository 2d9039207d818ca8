// What stops a running statement: the client's cancel request (or a lost
// connection, or the gateway giving up on a storage node) and
// statement_timeout's deadline. Every loop whose work grows with the data
// (scans, sort comparisons, hash builds and probes, join pairs, set
// operations) calls Tick() once per unit of work; every kTicksPerCheck ticks
// it reads the flag and the clock, a few nanoseconds per thousand units, so
// a statement stops within a millisecond or so of the request wherever it is.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "common/error.h"

namespace tessera::executor {

struct StatementPoll {
  static constexpr uint32_t kTicksPerCheck = 1024;

  const std::atomic<bool>* cancel = nullptr;
  int64_t deadline_ns = 0;  // steady clock; 0: no statement_timeout
  uint32_t ticks = 0;

  // The steady clock's now, in the deadline's unit.
  static int64_t NowNs() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

  // 57014 once cancelled or past the deadline.
  void Check() const {
    if (cancel && cancel->load(std::memory_order_relaxed))
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    if (deadline_ns != 0 && NowNs() > deadline_ns)
      throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
  }
  void Tick() {
    if (++ticks >= kTicksPerCheck) {
      ticks = 0;
      Check();
    }
  }
};

}  // namespace tessera::executor
