// One client call in flight: what the connection's reader hands over to the
// waiting thread (chunks in order, then the end payload or an error). Internal.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/fiber.h"

namespace tessera::cluster::transport::detail {

// Above this many bytes of unconsumed chunks in one call the connection stops
// reading; it resumes once the caller drained the call below kCallResumeMark.
inline constexpr size_t kCallQueueLimit = size_t{16} << 20;
inline constexpr size_t kCallResumeMark = size_t{8} << 20;

struct CallState {
  explicit CallState(uint64_t request_id) : id(request_id), progress(std::chrono::steady_clock::now()) {}

  const uint64_t id;
  std::mutex mutex;
  std::condition_variable cv;
  // Guarded by mutex.
  std::deque<std::string> chunks;
  size_t queued_bytes = 0;
  bool paused_reading = false;  // the connection stopped reading because of this call's queue
  bool done = false;            // kEnd arrived; result holds its payload
  std::string result;
  std::optional<SqlError> error;  // kError arrived, or the connection failed
  // A caller parked on a session fiber (rpc_client.cpp): woken with cv.
  std::shared_ptr<WaitSlot> waiter;
  // Last time a frame arrived or the caller took a chunk: the timeout counts from here.
  std::chrono::steady_clock::time_point progress;
};

}  // namespace tessera::cluster::transport::detail
