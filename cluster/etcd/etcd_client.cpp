#include "cluster/etcd/etcd_client.h"

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster/etcd/http_connection.h"
#include "cluster/etcd/json_codec.h"

namespace tessera::cluster::etcd {

using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr size_t kMaxIdleConnections = 16;
constexpr unsigned kHttpNotFound = 404;
constexpr unsigned kHttpUnavailable = 503;

json ParseJson(const std::string& body, const std::string& context) {
  try {
    return json::parse(body);
  } catch (const json::exception& e) {
    throw EtcdError(context + ": malformed answer: " + e.what());
  }
}

}  // namespace

// Idle keep-alive connections plus the endpoint new connections go to. After a failure the
// preferred endpoint moves on, so a dead member costs one failed connect, not one per call.
struct Client::Pool {
  std::vector<Endpoint> endpoints;
  std::atomic<size_t> preferred{0};
  std::mutex mu;
  std::vector<std::unique_ptr<HttpConnection>> idle;

  std::unique_ptr<HttpConnection> Acquire() {
    {
      std::lock_guard lock(mu);
      if (!idle.empty()) {
        auto connection = std::move(idle.back());
        idle.pop_back();
        return connection;
      }
    }
    return std::make_unique<HttpConnection>(endpoints[preferred.load() % endpoints.size()]);
  }

  void Release(std::unique_ptr<HttpConnection> connection) {
    if (!connection->IsOpen()) return;
    std::lock_guard lock(mu);
    if (idle.size() < kMaxIdleConnections) idle.push_back(std::move(connection));
  }

  void Failed(const Endpoint& endpoint) {
    size_t current = preferred.load();
    if (endpoints[current % endpoints.size()].url == endpoint.url)
      preferred.compare_exchange_strong(current, current + 1);
    // The other idle connections to that endpoint are most likely dead too (etcd restarted).
    std::lock_guard lock(mu);
    std::erase_if(idle, [&](const auto& c) { return c->endpoint().url == endpoint.url; });
  }
};

Client::Client(std::string endpoints, milliseconds timeout)
    : endpoints_(std::move(endpoints)), timeout_(timeout), pool_(std::make_unique<Pool>()) {
  pool_->endpoints = ParseEndpoints(endpoints_);
}

Client::~Client() = default;

const std::string& Client::Endpoints() const { return endpoints_; }

milliseconds Client::Timeout() const { return timeout_; }

std::optional<std::string> Client::Call(const char* path, const std::string& body, milliseconds timeout,
                                        bool not_found_ok) {
  auto deadline = Clock::now() + timeout;
  auto backoff = milliseconds(10);
  std::string last_error;
  for (;;) {
    auto connection = pool_->Acquire();
    bool reused = connection->IsOpen();
    try {
      HttpReply reply = connection->Post(path, body, deadline);
      std::string where = "etcd " + connection->endpoint().url + " " + path;
      pool_->Release(std::move(connection));
      if (reply.status == 200) return std::move(reply.body);
      if (reply.status == kHttpNotFound && not_found_ok) return std::nullopt;
      last_error = where + ": " + ErrorMessage(reply.body) + " (HTTP " + std::to_string(reply.status) + ")";
      // 503 is etcd without a leader (election, restart): worth waiting for. Anything else is
      // etcd's final word on this request.
      if (reply.status != kHttpUnavailable) throw EtcdError(last_error);
    } catch (const TransportError& e) {
      last_error = e.what();
      pool_->Failed(connection->endpoint());
      // A pooled connection may have been closed by a restarted etcd: retry at once.
      if (reused) continue;
    }
    auto now = Clock::now();
    if (now >= deadline) {
      throw EtcdError("etcd " + endpoints_ + " " + path + ": no answer within " + std::to_string(timeout.count()) +
                      " ms (last error: " + last_error + ")");
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(backoff, deadline - now));
    backoff = std::min(backoff * 2, milliseconds(250));
  }
}

RangeResult Client::Get(const std::string& key) {
  auto body = *Call("/v3/kv/range", RangeRequest(key, false).dump(), timeout_);
  return ParseRange(ParseJson(body, "etcd range"));
}

RangeResult Client::GetPrefix(const std::string& prefix) {
  auto body = *Call("/v3/kv/range", RangeRequest(prefix, true).dump(), timeout_);
  return ParseRange(ParseJson(body, "etcd range"));
}

int64_t Client::Put(const std::string& key, const std::string& value, int64_t lease) {
  auto body = *Call("/v3/kv/put", PutRequest(key, value, lease).dump(), timeout_);
  return HeaderRevision(ParseJson(body, "etcd put"));
}

int64_t Client::Delete(const std::string& key, bool prefix) {
  auto body = *Call("/v3/kv/deleterange", DeleteRequest(key, prefix).dump(), timeout_);
  return JsonInt(ParseJson(body, "etcd deleterange"), "deleted");
}

TxnResult Client::Txn(const std::vector<Compare>& compares, const std::vector<Op>& success,
                      const std::vector<Op>& failure) {
  auto body = *Call("/v3/kv/txn", TxnRequest(compares, success, failure).dump(), timeout_);
  return ParseTxn(ParseJson(body, "etcd txn"));
}

int64_t Client::LeaseGrant(int64_t ttl_seconds) {
  auto body = *Call("/v3/lease/grant", json{{"TTL", std::to_string(ttl_seconds)}}.dump(), timeout_);
  json answer = ParseJson(body, "etcd lease grant");
  if (auto it = answer.find("error"); it != answer.end() && it->is_string() && !it->get<std::string>().empty()) {
    throw EtcdError("etcd " + endpoints_ + " /v3/lease/grant: " + it->get<std::string>());
  }
  int64_t id = JsonInt(answer, "ID");
  if (id == 0) throw EtcdError("etcd " + endpoints_ + " /v3/lease/grant: no lease id in answer");
  return id;
}

bool Client::LeaseKeepAlive(int64_t lease) { return LeaseKeepAlive(lease, timeout_); }

bool Client::LeaseKeepAlive(int64_t lease, milliseconds timeout) {
  // A streaming endpoint: one request object in, one {"result": ...} line out, then the stream
  // ends because our request body did.
  auto body = *Call("/v3/lease/keepalive", json{{"ID", std::to_string(lease)}}.dump(), timeout);
  std::string first_line = body.substr(0, body.find('\n'));
  json answer = ParseJson(first_line, "etcd lease keepalive");
  if (answer.contains("error")) {
    throw EtcdError("etcd " + endpoints_ + " /v3/lease/keepalive: " + ErrorMessage(first_line));
  }
  auto result = answer.find("result");
  if (result == answer.end()) throw EtcdError("etcd " + endpoints_ + " /v3/lease/keepalive: no result in answer");
  return JsonInt(*result, "TTL") > 0;  // etcd answers TTL 0 (omitted) for an unknown lease
}

void Client::LeaseRevoke(int64_t lease) { LeaseRevoke(lease, timeout_); }

void Client::LeaseRevoke(int64_t lease, milliseconds timeout) {
  Call("/v3/lease/revoke", json{{"ID", std::to_string(lease)}}.dump(), timeout, /*not_found_ok=*/true);
}

void Client::Compact(int64_t revision) {
  // physical: answer only once the history is gone, so a watch started afterwards sees it.
  Call("/v3/kv/compaction", json{{"revision", std::to_string(revision)}, {"physical", true}}.dump(), timeout_);
}

bool Client::WaitUntilReady(milliseconds wait) {
  auto deadline = Clock::now() + wait;
  for (;;) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) return false;
    try {
      Call("/v3/maintenance/status", "{}", left);
      return true;
    } catch (const EtcdError&) {
      // Not up yet, or not ready to serve (no leader): keep trying until the wait is over.
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(milliseconds(50), deadline - Clock::now()));
  }
}

}  // namespace tessera::cluster::etcd
