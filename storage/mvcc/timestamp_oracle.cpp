#include "storage/mvcc/timestamp_oracle.h"

#include <utility>

#include "common/error.h"

namespace tessera::storage::mvcc {

TimestampOracle::TimestampOracle(Reserve reserve, uint64_t window) : reserve_(std::move(reserve)), window_(window) {
  TS_ASSERT(window_ > 0, "timestamp window is positive");
  Refill();
}

void TimestampOracle::Refill() {
  Timestamp first = reserve_(window_);
  // The reservation is durable before we use it; a reserve that went
  // backwards would break every snapshot taken after a restart.
  TS_ASSERT(first >= next_ && first > kNoTimestamp, "timestamp reservations only move forward");
  next_ = first;
  end_ = first + window_;
  ++reservations_;
}

Timestamp TimestampOracle::Next() {
  if (next_ == end_) Refill();
  return next_++;
}

}  // namespace tessera::storage::mvcc
