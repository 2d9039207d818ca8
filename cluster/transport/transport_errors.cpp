#include "cluster/transport/transport_errors.h"

#include <fmt/format.h>

#include "cluster/transport/frame.h"

namespace tessera::cluster::transport {

SqlError NotServing(std::string message) { return SqlError(kConnectionFailure, std::move(message), kNotStartedDetail); }

bool NotStarted(const SqlError& error) {
  return error.Sqlstate() == kConnectionFailure && error.Detail() == kNotStartedDetail;
}

SqlError CouldNotConnect(const std::string& address, const std::string& reason) {
  return SqlError(kConnectionFailure, fmt::format("could not connect to storage node {}: {}", address, reason),
                  kNotStartedDetail);
}

SqlError ConnectionLost(const std::string& address, const std::string& reason) {
  return SqlError(kConnectionFailure, fmt::format("connection to storage node {} lost", address), reason);
}

SqlError DidNotAnswer(const std::string& address, std::chrono::milliseconds timeout) {
  return SqlError(kConnectionFailure,
                  fmt::format("storage node {} did not answer within {} ms", address, timeout.count()));
}

SqlError ReplacedByFailover(const std::string& address) {
  return SqlError(kConnectionFailure,
                  fmt::format("storage node {} was replaced by a failover while it ran the request", address),
                  "Its shard group has a new primary; whether the request took effect there is unknown.");
}

SqlError CanceledByUser() { return SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request"); }

SqlError RequestCanceled(const std::string& why) {
  return SqlError(sqlstate::kQueryCanceled, fmt::format("canceling statement: {}", why));
}

SqlError PayloadTooLarge(size_t size) {
  return SqlError(sqlstate::kProgramLimitExceeded,
                  fmt::format("transport payload of {} bytes exceeds the limit of {} bytes", size, kMaxPayloadSize));
}

}  // namespace tessera::cluster::transport
