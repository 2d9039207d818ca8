#include "common/session_activity.h"

#include <map>

#include "common/datetime.h"

namespace tessera {

namespace {

std::mutex registry_mutex;
std::map<int32_t, std::shared_ptr<ActivityRegistry::Entry>>& Registered() {
  static auto* sessions = new std::map<int32_t, std::shared_ptr<ActivityRegistry::Entry>>;
  return *sessions;
}

}  // namespace

void ActivityRegistry::Entry::Started(const std::string& query) {
  int64_t now = datetime::CurrentTimestamp();
  std::lock_guard lock(mutex_);
  if (now_.xact_start == 0) now_.xact_start = now;
  now_.query_start = now;
  now_.state_change = now;
  now_.state = "active";
  now_.query.assign(query);
}

void ActivityRegistry::Entry::Waiting(const char* state, bool in_transaction) {
  int64_t now = datetime::CurrentTimestamp();
  std::lock_guard lock(mutex_);
  now_.state_change = now;
  now_.state.assign(state);
  if (!in_transaction) now_.xact_start = 0;
}

void ActivityRegistry::Entry::SetApplicationName(const std::string& name) {
  std::lock_guard lock(mutex_);
  now_.application_name = name;
}

void ActivityRegistry::Entry::SetSignals(std::function<void()> cancel, std::function<void()> terminate) {
  std::lock_guard lock(mutex_);
  cancel_ = std::move(cancel);
  terminate_ = std::move(terminate);
}

SessionActivity ActivityRegistry::Entry::Copy() const {
  std::lock_guard lock(mutex_);
  return now_;
}

std::shared_ptr<ActivityRegistry::Entry> ActivityRegistry::Register(SessionActivity start) {
  int32_t pid = start.pid;
  auto entry = std::make_shared<Entry>(std::move(start));
  std::lock_guard lock(registry_mutex);
  Registered()[pid] = entry;
  return entry;
}

void ActivityRegistry::Unregister(int32_t pid) {
  std::lock_guard lock(registry_mutex);
  Registered().erase(pid);
}

namespace {

std::shared_ptr<ActivityRegistry::Entry> Lookup(int32_t pid) {
  std::lock_guard lock(registry_mutex);
  auto it = Registered().find(pid);
  return it == Registered().end() ? nullptr : it->second;
}

}  // namespace

std::optional<SessionActivity> ActivityRegistry::Find(int32_t pid) {
  auto entry = Lookup(pid);
  if (!entry) return std::nullopt;
  return entry->Copy();
}

bool ActivityRegistry::Signal(int32_t pid, bool terminate) {
  auto entry = Lookup(pid);
  if (!entry) return false;
  std::function<void()> signal;
  {
    std::lock_guard lock(entry->mutex_);
    signal = terminate ? entry->terminate_ : entry->cancel_;
  }
  if (!signal) return false;
  signal();  // outside the entry's lock: the session may update it meanwhile
  return true;
}

std::vector<SessionActivity> ActivityRegistry::Sessions() {
  std::vector<std::shared_ptr<Entry>> entries;
  {
    std::lock_guard lock(registry_mutex);
    for (auto& [pid, entry] : Registered()) entries.push_back(entry);
  }
  std::vector<SessionActivity> out;
  out.reserve(entries.size());
  for (auto& entry : entries) out.push_back(entry->Copy());
  return out;
}

}  // namespace tessera
