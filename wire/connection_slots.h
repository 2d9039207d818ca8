// max_connections: how many sessions may run at once. A startup past the
// limit is refused with 53300, as PostgreSQL refuses it, and the last few
// slots (superuser_reserved_connections) are kept for the superuser, so an
// operator can still get in to see what is filling the server. Without a
// limit every connection costs a session, descriptors and memory until the
// process runs out of them (21,000 were accepted once, and the server
// stalled).
#pragma once

#include <mutex>
#include <string>

namespace tessera::wire {

struct ConnectionLimits {
  int max_connections = 100;
  int reserved_for_superuser = 3;
  std::string superuser = "tessera";
};

class ConnectionSlots {
 public:
  explicit ConnectionSlots(ConnectionLimits limits) : limits_(std::move(limits)) {}

  // Takes a slot for a session of `user`; throws SqlError 53300 when none is left for it.
  void Acquire(const std::string& user);
  void Release();
  int InUse() const;
  const ConnectionLimits& Limits() const { return limits_; }

 private:
  const ConnectionLimits limits_;
  mutable std::mutex mutex_;
  int in_use_ = 0;
};

}  // namespace tessera::wire
