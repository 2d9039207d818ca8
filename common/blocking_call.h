// Calls that block their thread, made from a fiber without taking a worker.
//
// Some calls cannot park: an etcd request is a synchronous HTTP exchange
// that retries for up to its timeout (seconds when etcd is slow or gone).
// Made on a session's or a request handler's fiber, it held that worker
// thread the whole time, and enough such callers (statements that all
// looked up the timestamp oracle's leader while etcd was restarting) could
// take every worker from the sessions that had nothing to do with etcd.
// RunBlocking hands such a call to a thread of its own and parks the
// calling fiber until it is done; off a fiber it simply makes the call.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace tessera {

// Runs `call` to its end: on a fiber, on one of the blocking-call threads
// while the fiber is parked; otherwise on the calling thread. Exceptions
// reach the caller.
void RunBlockingTask(const std::function<void()>& call);

template <class Call>
auto RunBlocking(Call&& call) -> std::invoke_result_t<Call&> {
  using Result = std::invoke_result_t<Call&>;
  std::exception_ptr error;
  if constexpr (std::is_void_v<Result>) {
    RunBlockingTask([&] {
      try {
        call();
      } catch (...) {
        error = std::current_exception();
      }
    });
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<Result> result;
    RunBlockingTask([&] {
      try {
        result.emplace(call());
      } catch (...) {
        error = std::current_exception();
      }
    });
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
}

}  // namespace tessera
