// ACCESS SHARE table locks: LOCK TABLE ... IN ACCESS SHARE MODE, which
// pg_dump takes on every table it dumps so that nobody drops or alters the
// table before it has read it. A session holds its locks until its
// transaction ends. The statements PostgreSQL runs under ACCESS EXCLUSIVE
// (DROP TABLE / VIEW, ALTER TABLE, ALTER ... OWNER, TRUNCATE) fail with
// 55P03 on a table another session holds, where PostgreSQL would wait: the
// holder is never the one to lose. (ROW SHARE and stronger modes are not
// taken; session_lock.cpp refuses them.)
//
// The registry is one per process, so it holds only where every session
// that could change a table runs in this process: the embedded server
// (Backend::SingleProcess). A cluster's gateways are separate processes, so
// there LOCK TABLE is refused (0A000) rather than accepted without effect.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

namespace tessera::executor {

class TableShareLocks {
 public:
  static TableShareLocks& Process();
  void Acquire(const void* session, uint32_t table_id);
  void ReleaseAll(const void* session);
  bool HeldByOther(const void* session, uint32_t table_id) const;

 private:
  mutable std::mutex mu_;
  std::multimap<uint32_t, const void*> holders_;  // table id -> session
};

}  // namespace tessera::executor
