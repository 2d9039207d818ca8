#include "cluster/etcd/watcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/http_connection.h"
#include "cluster/etcd/json_codec.h"

namespace tessera::cluster::etcd {

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kOpenTimeout{5000};
constexpr milliseconds kMinBackoff{50};
constexpr milliseconds kMaxBackoff{1000};

}  // namespace

struct Watcher::Impl {
  std::string endpoints_text;
  std::vector<Endpoint> endpoints;
  std::string prefix;
  int64_t next_revision = 0;  // the first revision not yet delivered; 0: "from now"
  EventsFn on_events;
  std::function<void()> on_reset;

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::condition_variable cv;
  std::thread thread;

  void Run();
  // One watch stream, until it ends (false: reconnect at once) or fails (throws).
  void WatchOnce(const Endpoint& endpoint, bool& progressed);
  // False when the stream must be replaced (after a compaction reset).
  bool HandleMessage(const Endpoint& endpoint, const std::string& line, bool& progressed);
  void Sleep(milliseconds duration);
};

Watcher::Watcher(std::string endpoints, std::string prefix, int64_t start_revision, EventsFn on_events,
                 std::function<void()> on_reset)
    : impl_(std::make_unique<Impl>()) {
  impl_->endpoints = ParseEndpoints(endpoints);
  impl_->endpoints_text = std::move(endpoints);
  impl_->prefix = std::move(prefix);
  impl_->next_revision = start_revision;
  impl_->on_events = std::move(on_events);
  impl_->on_reset = std::move(on_reset);
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

Watcher::~Watcher() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  impl_->thread.join();
}

void Watcher::Impl::Sleep(milliseconds duration) {
  std::unique_lock lock(mu);
  cv.wait_for(lock, duration, [&] { return stop.load(); });
}

void Watcher::Impl::Run() {
  size_t index = 0;
  milliseconds backoff = kMinBackoff;
  while (!stop) {
    bool progressed = false;
    try {
      WatchOnce(endpoints[index], progressed);
    } catch (const StoppedError&) {
      break;
    } catch (const std::exception& e) {
      if (stop) break;
      spdlog::warn("etcd watch on '{}' via {}: {}; reconnecting", prefix, endpoints[index].url, e.what());
      index = (index + 1) % endpoints.size();
    }
    if (progressed) backoff = kMinBackoff;
    Sleep(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

void Watcher::Impl::WatchOnce(const Endpoint& endpoint, bool& progressed) {
  HttpConnection connection(endpoint);
  auto stopping = [this] { return stop.load(); };
  json create = RangeRequest(prefix, /*prefix=*/true);
  if (next_revision > 0) create["start_revision"] = std::to_string(next_revision);
  std::string body = json{{"create_request", create}}.dump();
  unsigned status = connection.OpenStream("/v3/watch", body, Clock::now() + kOpenTimeout, stopping);
  if (status != 200) {
    std::string text;
    auto deadline = Clock::now() + kOpenTimeout;
    while (auto more = connection.ReadStream(stopping, deadline)) text += *more;
    throw EtcdError("etcd " + endpoint.url + " /v3/watch: " + ErrorMessage(text) + " (HTTP " + std::to_string(status) +
                    ")");
  }
  // The gateway writes one JSON object per line.
  std::string pending;
  while (auto data = connection.ReadStream(stopping)) {
    pending += *data;
    size_t start = 0;
    for (size_t end; (end = pending.find('\n', start)) != std::string::npos; start = end + 1) {
      std::string line = pending.substr(start, end - start);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      if (!HandleMessage(endpoint, line, progressed)) return;
    }
    pending.erase(0, start);
  }
  throw EtcdError("etcd " + endpoint.url + " /v3/watch: stream ended");
}

bool Watcher::Impl::HandleMessage(const Endpoint& endpoint, const std::string& line, bool& progressed) {
  json message = json::parse(line, nullptr, false);
  if (!message.is_object()) throw EtcdError("etcd " + endpoint.url + " /v3/watch: malformed message: " + line);
  if (message.contains("error")) throw EtcdError("etcd " + endpoint.url + " /v3/watch: " + ErrorMessage(line));
  auto it = message.find("result");
  if (it == message.end()) throw EtcdError("etcd " + endpoint.url + " /v3/watch: no result in message: " + line);
  const json& result = *it;

  if (JsonBool(result, "created")) {
    progressed = true;
    // Watching "from now" means from the revision after the one current at creation; resuming
    // from there after a reconnect loses nothing.
    if (next_revision == 0) next_revision = HeaderRevision(result) + 1;
  }
  if (JsonInt(result, "compact_revision") > 0) {
    // Our history is gone. Take the current revision before the caller re-reads, so resuming
    // after it can repeat changes but never skip one.
    Client client(endpoints_text, milliseconds(2000));
    int64_t current = client.Get(prefix.empty() ? std::string(1, '\0') : prefix).revision;
    spdlog::info("etcd watch on '{}': revision {} compacted; resetting at {}", prefix, next_revision, current);
    if (on_reset) on_reset();
    next_revision = current + 1;
    return false;
  }
  if (JsonBool(result, "canceled")) {
    auto reason = result.value("cancel_reason", std::string("no reason given"));
    throw EtcdError("etcd " + endpoint.url + " /v3/watch: canceled: " + reason);
  }

  std::vector<WatchEvent> events;
  if (auto list = result.find("events"); list != result.end() && list->is_array()) {
    for (const auto& item : *list) {
      WatchEvent event;
      event.type =
          item.value("type", std::string("PUT")) == "DELETE" ? WatchEvent::Type::kDelete : WatchEvent::Type::kPut;
      if (auto kv = item.find("kv"); kv != item.end()) event.kv = ParseKeyValue(*kv);
      events.push_back(std::move(event));
    }
  }
  if (!events.empty()) {
    int64_t last = 0;
    for (const auto& e : events) last = std::max(last, e.kv.mod_revision);
    on_events(events, last);
    next_revision = last + 1;
  }
  return true;
}

}  // namespace tessera::cluster::etcd
