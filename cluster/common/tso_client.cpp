#include "cluster/common/tso_client.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "cluster/common/etcd_keys.h"
#include "cluster/common/node_protocol.h"
#include "common/blocking_call.h"
#include "common/error.h"

namespace tessera::cluster {

std::string OracleKeyValue(const std::string& address, uint64_t group0_epoch) {
  return nlohmann::json{{"address", address}, {"group0_epoch", group0_epoch}}.dump();
}

std::string OracleAddressIn(const std::string& key_value) {
  auto doc = nlohmann::json::parse(key_value, nullptr, false);
  return doc.is_object() ? doc.value("address", std::string()) : std::string();
}

uint64_t OracleEpochIn(const std::string& key_value) {
  auto doc = nlohmann::json::parse(key_value, nullptr, false);
  return doc.is_object() ? doc.value("group0_epoch", uint64_t{0}) : 0;
}

TsoClient::TsoClient(etcd::Client& etcd, transport::RpcClient& rpc, std::function<uint64_t(uint32_t)> local)
    : etcd_(etcd), rpc_(rpc), local_(std::move(local)) {}

uint64_t TsoClient::Next() {
  std::unique_lock lock(mutex_);
  if (!open_) open_ = std::make_shared<Batch>();
  std::shared_ptr<Batch> mine = open_;
  uint32_t index = mine->count++;
  if (!in_flight_) {
    // This caller fetches for its batch and for any batch that forms meanwhile.
    in_flight_ = true;
    while (open_) {
      std::shared_ptr<Batch> batch = std::move(open_);
      open_.reset();
      lock.unlock();
      try {
        batch->first = Fetch(batch->count);
      } catch (...) {
        batch->error = std::current_exception();
      }
      lock.lock();
      batch->done = true;
      std::vector<std::shared_ptr<WaitSlot>> waiters = batch->waiters.Take();
      lock.unlock();
      WaitList::WakeAll(waiters);
      lock.lock();
    }
    in_flight_ = false;
  }
  mine->waiters.Wait(lock, [&] { return mine->done; });
  if (mine->error) std::rethrow_exception(mine->error);
  return mine->first + index;
}

std::string TsoClient::Leader(bool refresh) {
  {
    std::lock_guard lock(mutex_);
    if (!refresh && !leader_.empty()) return leader_;
  }
  std::string address;
  try {
    // On a thread of its own: with etcd slow or restarting, statements looking the leader up
    // would otherwise hold every worker for the request's timeout.
    auto found = RunBlocking([&] { return etcd_.Get(keys::kTsoLeader); });
    if (!found.kvs.empty()) address = OracleAddressIn(found.kvs[0].value);
  } catch (const std::exception& e) {
    throw SqlError("08006", std::string("could not reach etcd to find the timestamp oracle: ") + e.what());
  }
  std::lock_guard lock(mutex_);
  leader_ = address;
  return address;
}

uint64_t TsoClient::Fetch(uint32_t count) {
  if (local_) {
    if (uint64_t first = local_(count); first != 0) return first;
  }
  // Leadership moves when a node dies; look the leader up again and retry
  // for a few seconds before giving up.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  bool refresh = false;
  std::string last_error = "no timestamp oracle leader is registered";
  while (std::chrono::steady_clock::now() < deadline) {
    std::string leader = Leader(refresh);
    refresh = true;
    if (!leader.empty()) {
      try {
        transport::CallOptions options;
        // An oracle answers in well under a millisecond; one that has not
        // answered in 500 ms is stopped or gone (a paused group-0 primary is
        // replaced after 1.3 s), and asking again costs nothing.
        options.timeout = std::chrono::milliseconds(500);
        std::string reply = rpc_.Call(leader, kTimestamps, Encode(TimestampRequest{count}), options);
        return Decode<TimestampResponse>(reply).first;
      } catch (const SqlError& e) {
        last_error = e.what();
      }
    }
    WaitSlot::Make()->Wait(std::chrono::milliseconds(100));  // parks a fiber instead of holding its worker
  }
  throw SqlError("08006", "could not get a timestamp from the timestamp oracle: " + last_error);
}

}  // namespace tessera::cluster
