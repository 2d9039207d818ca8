#include "wire/connection_slots.h"

#include "common/error.h"

namespace tessera::wire {

namespace {
constexpr const char* kTooManyConnections = "53300";
}

void ConnectionSlots::Acquire(const std::string& user) {
  std::lock_guard lock(mutex_);
  if (in_use_ >= limits_.max_connections) throw SqlError(kTooManyConnections, "sorry, too many clients already");
  if (in_use_ >= limits_.max_connections - limits_.reserved_for_superuser && user != limits_.superuser) {
    throw SqlError(kTooManyConnections, "remaining connection slots are reserved for non-replication superuser connections");
  }
  ++in_use_;
}

void ConnectionSlots::Release() {
  std::lock_guard lock(mutex_);
  if (in_use_ > 0) --in_use_;
}

int ConnectionSlots::InUse() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

}  // namespace tessera::wire
