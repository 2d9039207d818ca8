// The transactions a storage node takes part in, by the gateway's name for
// them. A participant lives from the first request of its transaction to
// commit or rollback; it remembers which gateway connection owns it, so that
// when the connection drops its unprepared work is rolled back (the gateway
// is gone), while prepared work waits for the cleaner to learn the decision.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/mvcc/mvcc_transaction.h"

namespace tessera::cluster {

struct Participant {
  std::mutex mutex;  // one request at a time per transaction
  std::unique_ptr<storage::mvcc::MvccTransaction> txn;
  uint64_t connection = 0;  // 0: recovered after a restart (no owner)
  uint64_t snapshot = 0;
  uint64_t statement = 0;  // the gateway's statement number last seen
  bool prepared = false;
  std::string coordinator;  // the primary participant's group
  std::chrono::steady_clock::time_point last_active = std::chrono::steady_clock::now();
};
using ParticipantRef = std::shared_ptr<Participant>;

class ParticipantTable {
 public:
  ParticipantRef Find(const std::string& txn_id);
  // The participant, made by `begin` if it does not exist yet.
  ParticipantRef FindOrAdd(const std::string& txn_id, const std::function<ParticipantRef()>& begin);
  void Add(const std::string& txn_id, ParticipantRef participant);
  void Remove(const std::string& txn_id);
  // Snapshot of the table (cleaner, disconnect handling).
  std::vector<std::pair<std::string, ParticipantRef>> All();
  size_t Size();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, ParticipantRef> by_id_;
};

}  // namespace tessera::cluster
