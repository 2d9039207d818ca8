#include "common/tls_status.h"

#include <atomic>
#include <map>
#include <mutex>

namespace tessera {

namespace {

std::atomic<bool> server_tls{false};

struct Registry {
  std::mutex mutex;
  std::map<int32_t, TlsSessionInfo> sessions;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry;  // never destroyed: sessions may end during exit
  return *registry;
}

}  // namespace

void TlsStatus::SetServerTls(bool on) { server_tls.store(on); }

bool TlsStatus::ServerTls() { return server_tls.load(); }

void TlsStatus::Register(int32_t pid, TlsSessionInfo info) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mutex);
  r.sessions[pid] = std::move(info);
}

void TlsStatus::Unregister(int32_t pid) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mutex);
  r.sessions.erase(pid);
}

std::vector<std::pair<int32_t, TlsSessionInfo>> TlsStatus::Sessions() {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mutex);
  return {r.sessions.begin(), r.sessions.end()};
}

}  // namespace tessera
