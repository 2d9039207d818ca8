#include "storage/lmdb_transaction.h"

#include "common/error.h"
#include "storage/lmdb_engine.h"
#include "storage/lmdb_util.h"
#include "storage/merging_iterator.h"

namespace tessera::storage {

LmdbTransaction::LmdbTransaction(LmdbEngine* engine, MDB_dbi dbi)
    : engine_(engine), dbi_(dbi), reader_(engine->AcquireReader()) {}

LmdbTransaction::~LmdbTransaction() { ReleaseSnapshot(); }

void LmdbTransaction::ReleaseSnapshot() {
  if (reader_ == nullptr) return;
  engine_->ReleaseReader(reader_);
  reader_ = nullptr;
}

void LmdbTransaction::CheckKey(std::string_view key) const {
  TS_ASSERT(reader_ != nullptr, "transaction used after commit or rollback");
  // LMDB refuses empty keys and keys over its compile-time limit (511 bytes
  // by default); refuse them here, at the statement that wrote them, rather
  // than fail the whole group commit later.
  if (key.empty() || key.size() > engine_->MaxKeySize()) {
    throw SqlError(sqlstate::kProgramLimitExceeded,
                   "index row size " + std::to_string(key.size()) + " exceeds maximum " +
                       std::to_string(engine_->MaxKeySize()) + " for index");
  }
}

std::optional<std::string> LmdbTransaction::Get(std::string_view key) {
  TS_ASSERT(reader_ != nullptr, "transaction used after commit or rollback");
  if (!writes_.empty()) {
    auto it = writes_.find(key);
    if (it != writes_.end()) return it->second;
  }
  if (key.empty() || key.size() > engine_->MaxKeySize()) return std::nullopt;
  MDB_val k = ToVal(key), v;
  int rc = mdb_get(reader_, dbi_, &k, &v);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  CheckLmdb(rc, "mdb_get");
  return std::string(FromVal(v));
}

void LmdbTransaction::Put(std::string_view key, std::string_view value) {
  CheckKey(key);
  auto it = writes_.find(key);
  if (it != writes_.end()) {
    it->second.emplace(value);
    return;
  }
  writes_.emplace(std::string(key), std::string(value));
}

void LmdbTransaction::Delete(std::string_view key) {
  CheckKey(key);
  auto it = writes_.find(key);
  if (it != writes_.end()) {
    it->second.reset();
    return;
  }
  writes_.emplace(std::string(key), std::nullopt);
}

std::unique_ptr<Iterator> LmdbTransaction::Scan(std::string_view start, std::string_view end) {
  TS_ASSERT(reader_ != nullptr, "transaction used after commit or rollback");
  return std::make_unique<MergingIterator>(reader_, dbi_, writes_, start, end);
}

void LmdbTransaction::Commit() {
  TS_ASSERT(reader_ != nullptr, "transaction committed twice");
  // The snapshot is no longer needed: let writers reuse its pages sooner.
  ReleaseSnapshot();
  if (writes_.empty()) return;  // read-only: nothing to make durable
  CommitRequest request;
  request.kind = CommitRequest::Kind::kWrites;
  request.dbi = dbi_;
  request.writes = &writes_;
  try {
    engine_->Committer().Submit(&request);
  } catch (...) {
    writes_.clear();
    throw;
  }
  writes_.clear();
}

void LmdbTransaction::Rollback() {
  ReleaseSnapshot();
  writes_.clear();
}

}  // namespace tessera::storage
