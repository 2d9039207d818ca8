#include "cluster/gateway/sharded_kv.h"

#include <algorithm>

#include "cluster/gateway/fragment_router.h"

namespace tessera::cluster {

namespace {

// Pairs already merged in key order.
class VectorIterator final : public storage::Iterator {
 public:
  explicit VectorIterator(std::vector<std::pair<std::string, std::string>> pairs) : pairs_(std::move(pairs)) {}
  bool Valid() const override { return pos_ < pairs_.size(); }
  void Next() override { ++pos_; }
  std::string_view Key() const override { return pairs_[pos_].first; }
  std::string_view Value() const override { return pairs_[pos_].second; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<int> ShardedKv::AllGroups() const {
  std::vector<int> groups;
  for (int g = 0; g < txn_.Backend().Map().Groups(); ++g) groups.push_back(g);
  return groups;
}

std::vector<KvResponse> ShardedKv::Send(const std::vector<int>& groups, KvRequest request) {
  request.txn = txn_.Header(true, false);
  bool writes = request.op == KvRequest::Op::kPut || request.op == KvRequest::Op::kDelete;
  for (int g : groups) txn_.MarkParticipant(g, writes, writes ? 1 : 0);
  std::vector<std::string> replies = txn_.CallAll(groups, kKv, std::vector<std::string>(groups.size(), Encode(request)));
  std::vector<KvResponse> out;
  for (auto& reply : replies) out.push_back(Decode<KvResponse>(reply));
  return out;
}

std::optional<std::string> ShardedKv::Get(std::string_view key) {
  KvRequest request;
  request.op = KvRequest::Op::kGet;
  request.key = std::string(key);
  for (auto& response : Send(AllGroups(), request))
    if (response.found) return response.value;
  return std::nullopt;
}

void ShardedKv::Put(std::string_view key, std::string_view value) {
  KvRequest request;
  request.op = KvRequest::Op::kPut;
  request.key = std::string(key);
  request.value = std::string(value);
  auto owner = GroupOfRowKey(key, txn_.Backend().Map());
  int group = owner ? *owner : txn_.Backend().Map().GroupOf(value);
  Send({group}, request);
  wrote_ = true;
}

void ShardedKv::Delete(std::string_view key) {
  KvRequest request;
  request.op = KvRequest::Op::kDelete;
  request.key = std::string(key);
  Send(AllGroups(), request);
  wrote_ = true;
}

std::unique_ptr<storage::Iterator> ShardedKv::Scan(std::string_view start, std::string_view end) {
  KvRequest request;
  request.op = KvRequest::Op::kScan;
  request.key = std::string(start);
  request.end_key = std::string(end);
  std::vector<std::pair<std::string, std::string>> merged;
  for (auto& response : Send(AllGroups(), request))
    merged.insert(merged.end(), std::make_move_iterator(response.pairs.begin()),
                  std::make_move_iterator(response.pairs.end()));
  std::stable_sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return std::make_unique<VectorIterator>(std::move(merged));
}

}  // namespace tessera::cluster
