#include "wire/cancel_registry.h"

#include "common/secure_random.h"

namespace tessera::wire {

BackendKey CancelRegistry::Register(Session* session) {
  std::lock_guard lock(mutex_);
  int32_t pid = next_pid_++;
  if (next_pid_ <= 0) next_pid_ = 10000;  // wrapped: pids stay positive, as clients expect
  int32_t secret = static_cast<int32_t>(SecureRandom32());
  sessions_[pid] = Entry{secret, session};
  return BackendKey{pid, secret};
}

void CancelRegistry::Unregister(int32_t process_id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(process_id);
}

bool CancelRegistry::Cancel(int32_t process_id, int32_t secret_key) {
  // Session::Cancel runs under the lock, so Unregister (and then the
  // session's destruction) waits until it has returned.
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(process_id);
  if (it == sessions_.end() || it->second.secret_key != secret_key) return false;
  it->second.session->Cancel();
  return true;
}

void CancelRegistry::CancelAll() {
  std::lock_guard lock(mutex_);
  for (auto& [pid, entry] : sessions_) entry.session->Cancel();
}

}  // namespace tessera::wire
