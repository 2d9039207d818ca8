// The errors the transport raises itself, in one place so their SQLSTATEs and
// wording stay fixed: callers (the gateway, its tests) match on them.
#pragma once

#include <chrono>
#include <string>

#include "common/error.h"

namespace tessera::cluster::transport {

// connection_failure: the storage node is unreachable, gone or unresponsive.
inline constexpr const char* kConnectionFailure = "08006";

// The DETAIL of an 08006 whose request the storage node never started: it
// could not be sent (no connection), or the node refused it on arrival (a
// backup, a primary without its lease, a node still starting). A gateway may
// send such a request again, to the group's new primary after a failover.
inline constexpr const char* kNotStartedDetail = "The storage node did not start the request.";
// 08006 `message`, kNotStartedDetail: a node refusing a request it will not start.
SqlError NotServing(std::string message);
// Whether `error` says its request was never started (kNotStartedDetail).
bool NotStarted(const SqlError& error);

// 08006 "could not connect to storage node <addr>: <reason>", kNotStartedDetail
SqlError CouldNotConnect(const std::string& address, const std::string& reason);
// 08006 "connection to storage node <addr> lost"; `reason` goes to the detail.
SqlError ConnectionLost(const std::string& address, const std::string& reason);
// 08006 "storage node <addr> did not answer within <n> ms"
SqlError DidNotAnswer(const std::string& address, std::chrono::milliseconds timeout);
// 08006 "storage node <addr> was replaced by a failover while it ran the request"
SqlError ReplacedByFailover(const std::string& address);
// 57014 "canceling statement due to user request"
SqlError CanceledByUser();
// 57014, raised in a server handler's ResponseStream::Send once its request is gone.
SqlError RequestCanceled(const std::string& why);
// 54000, a payload that does not fit in one frame.
SqlError PayloadTooLarge(size_t size);

}  // namespace tessera::cluster::transport
