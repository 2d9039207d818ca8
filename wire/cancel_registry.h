// Maps the (process id, secret key) pairs sent in BackendKeyData to live
// sessions, so a CancelRequest arriving on another connection can cancel
// the statement running on this one. Thread-safe: cancels come from I/O
// threads while statements run on workers. Secret keys come from OpenSSL's
// CSPRNG (common/secure_random.h): they are the only proof a CancelRequest
// carries.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "executor/session.h"

namespace tessera::wire {

struct BackendKey {
  int32_t process_id = 0;
  int32_t secret_key = 0;
};

class CancelRegistry {
 public:
  BackendKey Register(Session* session);
  // After this returns no Cancel() can reach the session, so it may be destroyed.
  void Unregister(int32_t process_id);
  // Returns false when no session matches (wrong key or already gone); a
  // mismatched secret is ignored silently, as PostgreSQL does.
  bool Cancel(int32_t process_id, int32_t secret_key);
  // Cancels every running statement (server shutdown).
  void CancelAll();

 private:
  struct Entry {
    int32_t secret_key;
    Session* session;
  };
  std::mutex mutex_;
  std::unordered_map<int32_t, Entry> sessions_;
  int32_t next_pid_ = 10000;
};

}  // namespace tessera::wire
