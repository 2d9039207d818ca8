#include "storage/lmdb_engine.h"

#include <filesystem>

#include "common/error.h"
#include "storage/lmdb_transaction.h"
#include "storage/lmdb_util.h"

namespace tessera::storage {

namespace {

constexpr unsigned kMaxReaders = 1024;
// Counters share the meta database with the catalog; the prefix keeps them apart.
constexpr std::string_view kCounterPrefix = "counter/";

}  // namespace

std::unique_ptr<Engine> Engine::Open(const std::string& dir, const EngineOptions& options) {
  return std::make_unique<LmdbEngine>(dir, options);
}

LmdbEngine::LmdbEngine(const std::string& dir, const EngineOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw SqlError(sqlstate::kInternalError, "could not create directory \"" + dir + "\": " + ec.message());
  CheckLmdb(mdb_env_create(&env_), "mdb_env_create");
  try {
    CheckLmdb(mdb_env_set_maxdbs(env_, 8), "mdb_env_set_maxdbs");
    CheckLmdb(mdb_env_set_mapsize(env_, options.map_size), "mdb_env_set_mapsize");
    CheckLmdb(mdb_env_set_maxreaders(env_, kMaxReaders), "mdb_env_set_maxreaders");
    unsigned flags = MDB_NOTLS | (options.sync ? 0 : MDB_NOSYNC);
    CheckLmdb(mdb_env_open(env_, dir.c_str(), flags, 0644), "mdb_env_open");
    MDB_txn* txn = nullptr;
    CheckLmdb(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    int rc = mdb_dbi_open(txn, "data", MDB_CREATE, &data_dbi_);
    if (rc == MDB_SUCCESS) rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &meta_dbi_);
    if (rc != MDB_SUCCESS) {
      mdb_txn_abort(txn);
      ThrowLmdb(rc, "mdb_dbi_open");
    }
    CheckLmdb(mdb_txn_commit(txn), "mdb_txn_commit");
  } catch (...) {
    mdb_env_close(env_);
    throw;
  }
  max_key_size_ = static_cast<size_t>(mdb_env_get_maxkeysize(env_));
  committer_ = std::make_unique<GroupCommitter>(env_);
}

LmdbEngine::~LmdbEngine() {
  committer_.reset();  // drains pending commits first
  readers_.Clear();
  mdb_env_close(env_);
}

std::unique_ptr<Transaction> LmdbEngine::Begin() { return std::make_unique<LmdbTransaction>(this, data_dbi_); }

std::unique_ptr<Transaction> LmdbEngine::BeginMeta() {
  return std::make_unique<LmdbTransaction>(this, meta_dbi_);
}

void LmdbEngine::DeleteRange(std::string_view start, std::string_view end) {
  CommitRequest request;
  request.kind = CommitRequest::Kind::kDeleteRange;
  request.dbi = data_dbi_;
  request.start = start;
  request.end = end;
  committer_->Submit(&request);
}

int64_t LmdbEngine::AllocateRange(std::string_view name, int64_t count) {
  TS_ASSERT(count > 0, "allocating a positive number of values");
  std::string key(kCounterPrefix);
  key.append(name);
  CommitRequest request;
  request.kind = CommitRequest::Kind::kAllocate;
  request.dbi = meta_dbi_;
  request.start = key;
  request.count = count;
  committer_->Submit(&request);
  return request.result;
}

}  // namespace tessera::storage
