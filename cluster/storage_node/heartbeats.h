// Keeps a gateway's call alive while this node works on a long request.
// Gateways give up on a node that sends nothing for their node timeout (a
// SIGSTOPped or hung node must fail fast), but a fragment over a million
// rows or the commit of a big write set legitimately takes longer. So every
// request running longer than the interval gets an empty chunk each interval,
// sent by one background thread: a node that is alive says so, one that is
// stopped says nothing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "cluster/transport/response_stream.h"

namespace tessera::cluster {

class Heartbeats {
 public:
  explicit Heartbeats(std::chrono::milliseconds interval = std::chrono::milliseconds(500));
  ~Heartbeats();

  // Sends heartbeats on `stream` while the guard lives.
  class Guard {
   public:
    Guard(Heartbeats& owner, transport::ResponseStream& stream);
    ~Guard();
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    Heartbeats& owner_;
    uint64_t id_;
  };

 private:
  struct Entry {
    transport::ResponseStream* stream;
    std::chrono::steady_clock::time_point since;
  };
  void Loop();

  std::chrono::milliseconds interval_;
  std::mutex mutex_;  // held while sending, so a guard's stream outlives every send
  std::condition_variable wake_;
  std::map<uint64_t, Entry> streams_;
  uint64_t next_id_ = 1;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tessera::cluster
