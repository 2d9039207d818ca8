// The core of the cluster timestamp oracle, run by the elected leader: hands out strictly
// increasing uint64 timestamps from memory, persisting only the end of the current window in
// etcd. Before handing out any value of a window it stores the window's last value at `key`
// (CAS on mod_revision, so two leaders cannot both reserve from the same state), and a new
// leader starts above the stored end: timestamps never go backwards across leader changes.
//
// It does not fence a deposed leader that still serves from a window it reserved earlier;
// its owner's authority does that (storage_node/tso_service.h).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "cluster/etcd/etcd_client.h"

namespace tessera::cluster::etcd {

class TimestampWindow {
 public:
  // The Client must outlive this object. Nothing is contacted until the first Allocate.
  TimestampWindow(Client& client, std::string key, uint64_t window = 100000);

  // The first of `count` (> 0) consecutive fresh timestamps; thread-safe. Throws EtcdError if
  // reserving the next window fails: a lost CAS means another oracle reserved (we lost
  // leadership). The next call then re-reads the key before serving again.
  uint64_t Allocate(uint32_t count);

 private:
  void Load();  // reads the stored end; serving continues above it

  Client& client_;
  const std::string key_;
  const uint64_t window_;
  std::mutex mu_;
  bool loaded_ = false;
  uint64_t next_ = 1;         // next timestamp to hand out
  uint64_t end_ = 0;          // last timestamp of our reserved window (next_ > end_: none left)
  int64_t mod_revision_ = 0;  // of `key` as we last wrote or read it (0: missing)
};

}  // namespace tessera::cluster::etcd
