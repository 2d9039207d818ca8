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
#include <deque>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/fiber.h"
#include "storage/mvcc/mvcc_transaction.h"

namespace tessera::cluster {

struct Participant {
  // One request at a time per transaction. Held across lock waits, which
  // park the request's fiber (and may resume it on another worker): a
  // second request of the transaction (its rollback, say) parks too.
  FiberMutex mutex;
  std::unique_ptr<storage::mvcc::MvccTransaction> txn;
  // txn's id in the lock manager, readable without `mutex` (which a request
  // blocked in a lock wait holds): the deadlock detector's view.
  storage::mvcc::TxnId lock_id = 0;
  uint64_t connection = 0;  // 0: recovered after a restart (no owner)
  uint64_t snapshot = 0;
  uint64_t statement = 0;  // the gateway's statement number last seen
  // While the gateway has savepoints (TxnHeader::keep_undo): each
  // statement's number and the undo mark where its writes begin, oldest first.
  std::vector<std::pair<uint64_t, size_t>> statement_marks;
  bool prepared = false;
  std::string coordinator;  // the primary participant's group
  std::chrono::steady_clock::time_point last_active = std::chrono::steady_clock::now();
};
using ParticipantRef = std::shared_ptr<Participant>;

class ParticipantTable {
 public:
  ParticipantRef Find(const std::string& txn_id);
  // The participant, made by `begin` if it does not exist yet; nullptr if
  // the transaction already ended here (a request that arrives after its
  // transaction's rollback, e.g. one delayed in a stopped node's socket,
  // must not start it again and take locks nobody will release).
  ParticipantRef FindOrAdd(const std::string& txn_id, const std::function<ParticipantRef()>& begin);
  void Add(const std::string& txn_id, ParticipantRef participant);
  // The transaction ended here (committed or rolled back).
  void Remove(const std::string& txn_id);
  // Snapshot of the table (cleaner, disconnect handling).
  std::vector<std::pair<std::string, ParticipantRef>> All();
  size_t Size();

 private:
  static constexpr size_t kRememberedEnds = 100000;
  std::mutex mutex_;
  std::unordered_map<std::string, ParticipantRef> by_id_;
  std::unordered_set<std::string> ended_;
  std::deque<std::string> ended_order_;  // oldest first, to forget beyond kRememberedEnds
};

}  // namespace tessera::cluster
