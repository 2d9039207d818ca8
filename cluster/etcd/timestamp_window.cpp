#include "cluster/etcd/timestamp_window.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace tessera::cluster::etcd {

TimestampWindow::TimestampWindow(Client& client, std::string key, uint64_t window)
    : client_(client), key_(std::move(key)), window_(std::max<uint64_t>(window, 1)) {}

void TimestampWindow::Load() {
  RangeResult current = client_.Get(key_);
  uint64_t stored_end = 0;
  mod_revision_ = 0;
  if (!current.kvs.empty()) {
    const std::string& text = current.kvs[0].value;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), stored_end);
    if (ec != std::errc() || end != text.data() + text.size()) {
      throw EtcdError("etcd timestamp window '" + key_ + "' holds '" + text + "', not a number");
    }
    mod_revision_ = current.kvs[0].mod_revision;
  }
  // Whatever we reserved before (and may have handed out) stays below next_.
  next_ = std::max(next_, stored_end + 1);
  end_ = next_ - 1;  // nothing reserved by us yet
  loaded_ = true;
}

uint64_t TimestampWindow::Allocate(uint32_t count) {
  if (count == 0) throw std::invalid_argument("TimestampWindow::Allocate: count must be positive");
  std::lock_guard lock(mu_);
  if (!loaded_) Load();
  if (end_ + 1 - next_ < count) {  // end_ >= next_ - 1 always holds
    uint64_t new_end = next_ - 1 + std::max<uint64_t>(window_, count);
    TxnResult result;
    try {
      result = client_.Txn({Compare::ModRevision(key_, Compare::Result::kEqual, mod_revision_)},
                           {Op::Put(key_, std::to_string(new_end))}, {});
    } catch (const EtcdError&) {
      loaded_ = false;  // the put may have landed: re-read rather than guess
      throw;
    }
    if (!result.succeeded) {
      loaded_ = false;
      throw EtcdError("etcd timestamp window '" + key_ + "': reserved by another oracle (leadership lost?)");
    }
    mod_revision_ = result.revision;
    end_ = new_end;
  }
  uint64_t first = next_;
  next_ += count;
  return first;
}

}  // namespace tessera::cluster::etcd
