#include "cluster/storage_node/participants.h"

namespace tessera::cluster {

ParticipantRef ParticipantTable::Find(const std::string& txn_id) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(txn_id);
  return it == by_id_.end() ? nullptr : it->second;
}

ParticipantRef ParticipantTable::FindOrAdd(const std::string& txn_id, const std::function<ParticipantRef()>& begin) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_id_.find(txn_id); it != by_id_.end()) return it->second;
    if (ended_.count(txn_id) != 0) return nullptr;
  }
  // Begin outside the table's lock: it may wait on the prepare gate.
  ParticipantRef fresh = begin();
  std::lock_guard lock(mutex_);
  if (ended_.count(txn_id) != 0) return nullptr;  // rolled back while we began
  auto [it, inserted] = by_id_.emplace(txn_id, fresh);
  return it->second;
}

void ParticipantTable::Add(const std::string& txn_id, ParticipantRef participant) {
  std::lock_guard lock(mutex_);
  by_id_[txn_id] = std::move(participant);
}

void ParticipantTable::Remove(const std::string& txn_id) {
  std::lock_guard lock(mutex_);
  by_id_.erase(txn_id);
  if (!ended_.insert(txn_id).second) return;
  ended_order_.push_back(txn_id);
  if (ended_order_.size() > kRememberedEnds) {
    ended_.erase(ended_order_.front());
    ended_order_.pop_front();
  }
}

std::vector<std::pair<std::string, ParticipantRef>> ParticipantTable::All() {
  std::lock_guard lock(mutex_);
  return {by_id_.begin(), by_id_.end()};
}

size_t ParticipantTable::Size() {
  std::lock_guard lock(mutex_);
  return by_id_.size();
}

}  // namespace tessera::cluster
