#include "storage/mvcc/txn_records.h"

#include "common/error.h"
#include "storage/group_committer.h"
#include "storage/lmdb_util.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::storage::mvcc {

TxnRecords::Latch& TxnRecords::Latch::operator=(Latch&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    id_ = std::move(other.id_);
    other.owner_ = nullptr;
  }
  return *this;
}

void TxnRecords::Latch::Release() {
  if (owner_ != nullptr) owner_->Unlock(id_);
  owner_ = nullptr;
}

void TxnRecords::CheckId(std::string_view id) const {
  if (id.empty() || id.size() > engine_->MaxPlainKeySize()) {
    throw SqlError(sqlstate::kProgramLimitExceeded, "transaction id of " + std::to_string(id.size()) +
                                                        " bytes is empty or exceeds the maximum " +
                                                        std::to_string(engine_->MaxPlainKeySize()));
  }
}

TxnRecords::Latch TxnRecords::Lock(std::string_view id) {
  CheckId(id);
  std::string owned(id);
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return busy_.count(owned) == 0; });
  busy_.insert(owned);
  return Latch(this, std::move(owned));
}

void TxnRecords::Unlock(const std::string& id) {
  {
    std::lock_guard lock(mutex_);
    busy_.erase(id);
  }
  cv_.notify_all();
}

std::optional<std::string> TxnRecords::Get(std::string_view id) {
  CheckId(id);
  MDB_txn* reader = engine_->AcquireReader();
  std::optional<std::string> record;
  try {
    MDB_val k = ToVal(id), v;
    int rc = mdb_get(reader, dbi_, &k, &v);
    if (rc == MDB_SUCCESS) record.emplace(FromVal(v));
    else if (rc != MDB_NOTFOUND) CheckLmdb(rc, "mdb_get");
  } catch (...) {
    engine_->ReleaseReader(reader);
    throw;
  }
  engine_->ReleaseReader(reader);
  return record;
}

std::string TxnRecords::PutIfAbsent(std::string_view id, std::string_view record) {
  Latch latch = Lock(id);
  // Read under the latch: every earlier writer of this id has landed (it
  // held the latch until its Submit returned), so a fresh snapshot sees it.
  if (std::optional<std::string> existing = Get(id)) return *existing;
  Submit(id, std::string(record));
  return std::string(record);
}

void TxnRecords::Delete(std::string_view id) {
  Latch latch = Lock(id);
  Submit(id, std::nullopt);
}

void TxnRecords::Submit(std::string_view id, std::optional<std::string> record) {
  WriteSet writes;
  writes.emplace(std::string(id), std::move(record));
  CommitRequest request;
  request.kind = CommitRequest::Kind::kWrites;
  request.dbi = dbi_;
  request.writes = &writes;
  engine_->Committer().Submit(&request);
}

}  // namespace tessera::storage::mvcc
