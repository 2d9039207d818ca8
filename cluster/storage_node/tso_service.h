// The cluster's timestamp oracle (DESIGN.md, Transactions). One storage node
// serves it, holding /tessera/tso/leader through an etcd election (a 3 s
// lease); it hands out timestamps from memory out of windows it reserves in
// etcd (etcd/timestamp_window.h), as TiDB's PD does, and clients find it
// through that key (common/tso_client.h).
//
// Who campaigns: shard group 0's primary, whenever it holds its group's
// lease; any other node only while group 0 has no primary registered (so an
// unreplicated cluster keeps its oracle when group 0's node dies), and it
// hands the oracle back once group 0 has one. So in a replicated cluster
// the oracle fails over with group 0 (1.3 s), not after etcd's 3 s TTL: a
// new primary of group 0 takes the key over from the primary it superseded
// (the key names that primary's epoch, lower than its own).
//
// Why the superseded primary cannot hand out a timestamp below one its
// successor served: a group-0 primary serves only while it holds both the
// key's lease and the group's lease, and it checks both after taking a
// value and before answering. The successor promoted only after the old
// primary's group lease had run out, so a value the old one answers with
// was taken before the successor existed, before any transaction committed
// at the successor's timestamps; and the successor starts above the window
// end stored in etcd. Every other handover goes through the key alone: a
// leader serves only while its own lease on the key holds, so no two nodes
// serve at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/etcd/election.h"
#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/timestamp_window.h"

namespace tessera::cluster {

// What the storage node tells the oracle about itself, asked often (it must never wait).
struct OracleStanding {
  bool group0_primary = false;  // this node is group 0's primary (its epoch below)
  uint64_t epoch = 0;
  bool lease = false;  // as group 0's primary: it may serve (holds the group's lease, not handed over)
};

class TsoService {
 public:
  TsoService(etcd::Client& etcd, std::string my_address, std::function<OracleStanding()> standing);
  ~TsoService();
  // The first of `count` fresh timestamps, or 0 when this node may not serve them.
  uint64_t Allocate(uint32_t count);
  bool IsLeader();

 private:
  void Campaign();
  void Step(uint64_t tick);
  bool Authorized();  // takes election_mutex_
  bool Group0Registered(uint64_t tick);
  // Stops serving at once, then gives up the key.
  void StepDown(const std::shared_ptr<etcd::Election>& election, const char* why);

  etcd::Client& etcd_;
  const std::string address_;
  const std::function<OracleStanding()> standing_;
  // Two locks, so that asking whether this node leads (HandlePing, the
  // deadlock detector) never waits behind a window reservation, which is an
  // etcd round trip. Order: window_mutex_ before election_mutex_.
  std::mutex election_mutex_;
  std::shared_ptr<etcd::Election> election_;  // the campaign under our current standing
  uint64_t election_epoch_ = 0;                // the group0_epoch it names
  std::mutex window_mutex_;
  // The window we serve from; dropped whenever authority lapses, so a node
  // that regains it starts above whatever was reserved meanwhile.
  std::unique_ptr<etcd::TimestampWindow> window_;
  bool group0_registered_ = false;  // campaign thread only, read every 500 ms
  std::atomic<bool> stop_{false};
  std::thread campaigner_;
};

}  // namespace tessera::cluster
