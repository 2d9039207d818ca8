// The local timestamp oracle: hands out strictly increasing 64-bit commit
// timestamps from memory, and never goes backwards across a crash. It does so
// by reserving windows: before the first value of a window is handed out,
// the window's end is made durable (through `reserve`), so after a restart
// the oracle resumes above everything it may have issued. A crash wastes at
// most one window of numbers, which is harmless in 64 bits.
//
// A deterministic core (STYLE.md section 8): no clock, no I/O of its own; the
// engine passes a `reserve` that persists through LMDB's meta database, and
// tests pass a fake. Not thread-safe: the engine calls it under its mutex.
#pragma once

#include <cstdint>
#include <functional>

#include "storage/mvcc/version_key.h"

namespace tessera::storage::mvcc {

class TimestampOracle {
 public:
  // Durably reserves `count` timestamps and returns the first; successive
  // calls (also across restarts) return ranges above every earlier one.
  using Reserve = std::function<Timestamp(uint64_t count)>;

  static constexpr uint64_t kDefaultWindow = 10000;

  // Reserves the first window at once, so Last() is meaningful from the start.
  explicit TimestampOracle(Reserve reserve, uint64_t window = kDefaultWindow);

  // A timestamp greater than every one returned before, in this process or an
  // earlier one on the same data. May block on one durable write per window.
  Timestamp Next();
  // The newest timestamp handed out; before the first Next(), one below the
  // first window, which is above every timestamp of earlier runs.
  Timestamp Last() const { return next_ - 1; }
  uint64_t Reservations() const { return reservations_; }

 private:
  void Refill();

  Reserve reserve_;
  uint64_t window_;
  Timestamp next_ = 0;  // next value to hand out
  Timestamp end_ = 0;   // first value beyond the reserved window
  uint64_t reservations_ = 0;
};

}  // namespace tessera::storage::mvcc
