#include "executor/table_share_locks.h"

#include <iterator>

namespace tessera::executor {

TableShareLocks& TableShareLocks::Process() {
  static TableShareLocks locks;
  return locks;
}

void TableShareLocks::Acquire(const void* session, uint32_t table_id) {
  std::lock_guard<std::mutex> guard(mu_);
  auto [first, last] = holders_.equal_range(table_id);
  for (auto it = first; it != last; ++it)
    if (it->second == session) return;
  holders_.emplace(table_id, session);
}

void TableShareLocks::ReleaseAll(const void* session) {
  std::lock_guard<std::mutex> guard(mu_);
  for (auto it = holders_.begin(); it != holders_.end();)
    it = it->second == session ? holders_.erase(it) : std::next(it);
}

bool TableShareLocks::HeldByOther(const void* session, uint32_t table_id) const {
  std::lock_guard<std::mutex> guard(mu_);
  auto [first, last] = holders_.equal_range(table_id);
  for (auto it = first; it != last; ++it)
    if (it->second != session) return true;
  return false;
}

}  // namespace tessera::executor
